package dev.minidocker.container.runtime;

import com.google.gson.annotations.SerializedName;

/** A container's status in the OCI runtime spec's lifecycle (runtime.md "State"). */
public enum Status {
    /** create is building it. */
    @SerializedName("creating") CREATING,
    /** Built, its init stage waiting for start; the user's program has not run. */
    @SerializedName("created") CREATED,
    /** The user's program runs. */
    @SerializedName("running") RUNNING,
    /** The program has ended (or never came to run). */
    @SerializedName("stopped") STOPPED;

    /** The spec's spelling, as {@code state} prints it. */
    public String word() {
        return name().toLowerCase();
    }
}
