package dev.minidocker.exercises.grade;

import dev.minidocker.exercises.Exercise;
import dev.minidocker.exercises.Workspace;

/**
 * One exercise's grade, as the reports write it.
 *
 * @param exercise the exercise
 * @param state    the workspace's state after grading (SOLUTION: the reference code was shown)
 * @param result   the grader's result, or null when the exercise was not started
 */
public record GradedExercise(Exercise exercise, Workspace.State state, Grader.Result result) {

    public boolean started() {
        return result != null;
    }

    /** Every test of its chapter passed with the learner's code. */
    public boolean passed() {
        return started() && result.allPassed();
    }

    /** The tests could not say: compiled, nothing failed, but some were skipped (no root, no KVM). */
    public boolean unchecked() {
        return started() && result.compiled() && result.count("FAIL") == 0 && !result.allPassed();
    }

    /** A word for reports: passing, failing, does not compile, not checked, not started. */
    public String verdict() {
        if (!started()) {
            return "not started";
        }
        if (!result.compiled()) {
            return "does not compile";
        }
        if (passed()) {
            return "passing";
        }
        return unchecked() ? "not checked" : "failing";
    }
}
