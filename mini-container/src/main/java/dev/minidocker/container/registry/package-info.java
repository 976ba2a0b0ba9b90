/**
 * Registries: the OCI distribution API, for {@code pull}, {@code push} and {@code login}.
 *
 * <p>Reading order for a newcomer:
 * <ol>
 * <li>{@link dev.minidocker.container.registry.RegistryReference}: {@code ubuntu} is
 * {@code docker.io/library/ubuntu:latest}; which registry, which repository, which tag or digest;
 * <li>{@link dev.minidocker.container.registry.RegistryClient}: {@code GET /v2/}, the
 * {@code WWW-Authenticate} {@link dev.minidocker.container.registry.Challenge} (Basic, or the
 * Bearer token dance), manifests and blobs, each checked against its digest, redirects without
 * credentials;
 * <li>{@link dev.minidocker.container.registry.ImagePuller}: an index to this
 * {@link dev.minidocker.container.registry.Platform}'s manifest, then config and layers into the
 * store through {@link dev.minidocker.container.image.ImageImport}, the transaction {@code mini load} uses;
 * <li>{@link dev.minidocker.container.registry.ImagePusher}: blobs first (skipped when present,
 * mounted from another repository when possible), the manifest last;
 * <li>{@link dev.minidocker.container.registry.AuthFile}: where {@code mini login} keeps credentials,
 * in the format docker and podman share.
 * </ol>
 */
package dev.minidocker.container.registry;
