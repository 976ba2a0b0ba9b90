/*
 * The C side of bench/vm-exits.sh: the smallest KVM run loop that can drive the port-writes
 * guest (the same bytes mini-vmm runs, read from a file). It sets up 32-bit protected mode the
 * way mini-vmm does, leaves N in the mailbox, and counts exits until the debug-exit port.
 * Usage: vm-exits-c GUEST.bin N   -> prints "exits=... seconds=... exits_per_second=..."
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE (2u << 20)
#define ENTRY 0x8000
#define MAILBOX 0x4000

static void die(const char *what) { perror(what); exit(125); }

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s GUEST.bin N\n", argv[0]); return 2; }
    uint32_t n = (uint32_t) strtoul(argv[2], NULL, 10);
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) die("/dev/kvm");
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) die("KVM_CREATE_VM");
    ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000UL);
    uint64_t idmap = 0xfffbc000UL;
    ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &idmap);
    uint8_t *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) die("mmap");
    struct kvm_userspace_memory_region region = {.slot = 0, .guest_phys_addr = 0, .memory_size = MEM_SIZE,
                                                 .userspace_addr = (uint64_t) mem};
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");
    FILE *f = fopen(argv[1], "rb");
    if (!f) die(argv[1]);
    fread(mem + ENTRY, 1, MEM_SIZE - ENTRY, f);
    fclose(f);
    memcpy(mem + MAILBOX, &n, 4);

    int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0) die("KVM_CREATE_VCPU");
    int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) die("mmap kvm_run");

    struct kvm_sregs sregs;
    ioctl(vcpu, KVM_GET_SREGS, &sregs);
    struct kvm_segment code = {.base = 0, .limit = 0xffffffff, .selector = 0x08, .type = 0xb, .present = 1,
                               .db = 1, .s = 1, .g = 1};
    struct kvm_segment data = code;
    data.selector = 0x10;
    data.type = 0x3;
    sregs.cs = code;
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
    sregs.cr0 = 0x31;  /* PE, ET, NE */
    if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0) die("KVM_SET_SREGS");
    struct kvm_regs regs = {.rip = ENTRY, .rsp = 0x8000, .rflags = 2};
    if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) die("KVM_SET_REGS");

    struct timespec t0, t1;
    uint64_t exits = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        if (ioctl(vcpu, KVM_RUN, 0) < 0) die("KVM_RUN");
        exits++;
        if (run->exit_reason != KVM_EXIT_IO) {
            fprintf(stderr, "unexpected exit %u\n", run->exit_reason);
            return 125;
        }
        if (run->io.port == 0xf4) break;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("exits=%llu seconds=%.3f exits_per_second=%.0f\n", (unsigned long long) exits, s, exits / s);
    return 0;
}
