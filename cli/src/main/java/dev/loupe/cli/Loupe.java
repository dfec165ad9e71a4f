package dev.loupe.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code loupe} entry point.
 *
 * <p>Exit codes, decided here and nowhere else: 0 success, 1 failure, 2 bad usage (unknown
 * option, bad value, missing column: anything the user can fix by changing the command line or
 * the input). A command reports bad input by throwing {@link IllegalArgumentException} with a
 * message that names the field, the value and the rule; that message is printed without a stack
 * trace.
 */
@Command(
    name = "loupe",
    mixinStandardHelpOptions = true,
    versionProvider = Loupe.Version.class,
    description = "Event analytics and experimentation: collect, query, experiment.",
    subcommands = {
      ServeCommand.class,
      ImportCommand.class,
      SqlCommand.class,
      SessionsCommand.class,
      DedupCommand.class,
      OrgCommand.class,
      ReportCommand.class,
      DidCommand.class,
      AbtestCommand.class,
      PowerCommand.class,
      SequentialCommand.class,
      BanditCommand.class,
      dev.loupe.cli.network.NetworkCommand.class,
      PlanCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Loupe implements Runnable {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs one command line; returns the exit code. Used by {@link #main} and by tests. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Loupe());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (ex instanceof IllegalArgumentException) {
            err.println("loupe: " + ex.getMessage());
            return EXIT_USAGE;
          }
          err.println("loupe: failed: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
          if (System.getenv("LOUPE_DEBUG") != null) {
            ex.printStackTrace(err);
          }
          return EXIT_FAILED;
        });
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Loupe.class.getPackage().getImplementationVersion();
      return new String[] {"loupe " + (v == null ? "development build" : v)};
    }
  }
}
