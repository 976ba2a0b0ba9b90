/**
 * What keeps a container's root from being the host's root: capabilities (bounding, effective,
 * permitted, inheritable, ambient), seccomp (a system call filter compiled by libseccomp),
 * masked and read-only paths of /proc and /sys, the user and groups the process runs as, and
 * validated names. Everything here reads the OCI records of {@code ContainerSpec}; the init stage
 * calls {@link dev.minidocker.container.fs.MaskedPaths#apply} before pivot_root and
 * {@link dev.minidocker.container.security.ProcessSecurity#applyBeforeExec} just before execve.
 */
package dev.minidocker.container.security;
