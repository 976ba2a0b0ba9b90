package dev.minidocker.sys;

/**
 * A thread's three capability sets of capget(2)/capset(2) as bit masks: bit N is capability N
 * (CAP_CHOWN is bit 0). The bounding and ambient sets are not here: prctl(2) reads and changes them.
 */
public record CapabilitySets(long effective, long permitted, long inheritable) {
}
