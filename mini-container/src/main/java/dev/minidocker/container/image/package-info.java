/**
 * Images: loading, storing and unpacking layered images safely.
 *
 * <p>Reading order for a newcomer:
 * <ol>
 * <li>{@link dev.minidocker.container.image.Compression}: a layer is a tar file, maybe gzip or zstd,
 * told apart by its first bytes;
 * <li>{@link dev.minidocker.container.image.LayerUnpacker}: one layer into one directory, with the
 * OCI whiteout rules, never outside the directory (path lookups go through {@code InRoot});
 * <li>{@link dev.minidocker.container.image.ImageStore}: content-addressed blobs and layers, each
 * layer unpacked once; changes are staged and renamed into place ({@code StoreTransaction});
 * <li>{@link dev.minidocker.container.image.ImageLoader}: docker-save archives, OCI layouts and
 * OCI archives, every digest checked; {@link dev.minidocker.container.image.ImageRemover},
 * {@link dev.minidocker.container.image.ImageInspector}, {@link dev.minidocker.container.image.ImageListing}
 * for {@code rmi}, {@code image inspect} and {@code images}; {@link dev.minidocker.container.image.ImageSaver}
 * and {@link dev.minidocker.container.image.ImageHistory} for {@code save} and {@code image history};
 * {@link dev.minidocker.container.image.ImageImport}, through which a registry pull enters the store;
 * <li>{@link dev.minidocker.container.image.DefaultImages}: the offline {@code busybox} image;
 * <li>{@link dev.minidocker.container.image.Flattener}: one directory from all layers, for
 * machines without overlayfs.
 * </ol>
 */
package dev.minidocker.container.image;
