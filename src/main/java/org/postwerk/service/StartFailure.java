package org.postwerk.service;

import java.io.IOException;

/** A start (or a reload) stopped by a {@link StartProblem}: an I/O failure with an operator's explanation. */
public final class StartFailure extends IOException {
    private final transient StartProblem problem;

    public StartFailure(StartProblem problem) {
        super(problem.line());
        this.problem = problem;
    }

    public StartFailure(StartProblem problem, Throwable cause) {
        super(problem.line(), cause);
        this.problem = problem;
    }

    public StartProblem problem() {
        return problem;
    }
}
