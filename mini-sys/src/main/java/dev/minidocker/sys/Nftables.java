package dev.minidocker.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * libnftables (libnftables(3)), the library the {@code nft} command is a front end of: a script
 * in nft's own language is parsed and sent to the kernel as one nf_tables transaction, in the
 * network namespace of the calling thread. Calling it in-process spares a program start per change.
 */
public final class Nftables {
    /** The functions of libnftables.so.1 (nftables 0.9.1 and later) that mini uses. */
    public interface Lib {
        Pointer nft_ctx_new(int flags);                           // NFT_CTX_DEFAULT is 0
        void nft_ctx_free(Pointer ctx);
        int nft_ctx_buffer_output(Pointer ctx);                   // keep "list" output in memory, not on stdout
        int nft_ctx_buffer_error(Pointer ctx);                    // likewise the error messages
        String nft_ctx_get_error_buffer(Pointer ctx);
        int nft_run_cmd_from_buffer(Pointer ctx, String buffer);  // 0 on success
    }

    private static final int NFT_CTX_DEFAULT = 0;
    /** Where distributions put it (Debian's multiarch directory first); the soname carries the ABI. */
    private static final String[] LIBRARY_DIRS = {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"};
    private static volatile Lib lib;
    private static volatile boolean tried;

    private Nftables() {
    }

    /** Whether libnftables.so.1 can be loaded here. */
    public static boolean available() {
        return library() != null;
    }

    private static Lib library() {
        if (!tried) {
            synchronized (Nftables.class) {
                if (!tried) {
                    lib = null; // without libnftables callers fall back to the nft program
                    for (String dir : LIBRARY_DIRS) {
                        java.nio.file.Path so = java.nio.file.Path.of(dir, "libnftables.so.1");
                        if (java.nio.file.Files.exists(so)) {
                            try {
                                lib = LibraryLoader.create(Lib.class).failImmediately().load(so.toString());
                            } catch (UnsatisfiedLinkError | RuntimeException e) {
                                lib = null;
                            }
                            break;
                        }
                    }
                    tried = true;
                }
            }
        }
        return lib;
    }

    // tag::run[]
    /** Runs a script, as {@code nft -f -} would; a rejected script throws with nft's first error line. */
    public static void run(String script) {
        Lib l = library();
        if (l == null) {
            throw new IllegalStateException("libnftables.so.1 not found: install nftables (apt-get install nftables)");
        }
        Pointer ctx = l.nft_ctx_new(NFT_CTX_DEFAULT);
        if (ctx == null) {
            throw new IllegalStateException("nft_ctx_new failed");
        }
        try {
            l.nft_ctx_buffer_output(ctx);
            l.nft_ctx_buffer_error(ctx);
            if (l.nft_run_cmd_from_buffer(ctx, script) != 0) {
                String err = l.nft_ctx_get_error_buffer(ctx);
                throw new IllegalStateException("nftables rejected the table: "
                        + (err == null ? "no reason given" : err.lines().findFirst().orElse("no reason given")));
            }
        } finally {
            l.nft_ctx_free(ctx);
        }
    }
    // end::run[]
}
