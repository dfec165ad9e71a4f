package dev.loupe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code loupe plan …}: planning tools (experiment designs, capacity). */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Plan before you build or launch: experiment designs and capacity.",
    subcommands = {
      AbVersusBanditCommand.class,
      PlanCapacityCommand.class,
    })
public final class PlanCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a plan command is required");
  }
}
