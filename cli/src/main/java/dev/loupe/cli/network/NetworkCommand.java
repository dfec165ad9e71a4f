package dev.loupe.cli.network;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code loupe network …}: experiments on a social graph. */
@Command(
    name = "network",
    mixinStandardHelpOptions = true,
    description = "Experiments on a social graph: clusters, designs, analysis with spillovers.",
    subcommands = {
      ClusterCommand.class,
      DesignCommand.class,
      AnalyzeCommand.class,
      SimulateCommand.class,
    })
public final class NetworkCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a network command is required (cluster, design, analyze, simulate)");
  }
}
