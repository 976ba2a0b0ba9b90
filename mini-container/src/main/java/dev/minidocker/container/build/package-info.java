/**
 * {@code mini build} and {@code mini commit}: images made from a Dockerfile, step by step. Each
 * RUN step is a container run by the same runtime as {@code mini run}; each step that changes
 * files gives one layer, the diff of the container's overlay upper directory; a cache keyed on
 * the step's parent, its instruction and its sources skips steps whose inputs did not change.
 */
package dev.minidocker.container.build;
