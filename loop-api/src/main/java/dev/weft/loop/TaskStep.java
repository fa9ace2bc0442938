package dev.weft.loop;

/**
 * One step of a task as its loop runs it in debug mode: the step itself, named after its task, so a slow step and
 * a blocked loop can say which task held the loop and show that task's stack rather than the loop thread's.
 */
record TaskStep(Task<?> task, Runnable step) implements Runnable {

    @Override
    public void run() {
        step.run();
    }

    @Override
    public String toString() {
        return "a step of task '" + task.name() + "'";
    }
}
