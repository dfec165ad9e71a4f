package dev.loupe.cli;

import dev.loupe.lake.CalendarDay;
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
 * trace. A command-line parse error (unknown option, a value of the wrong type) is printed on one
 * line too, with a pointer to the command's {@code --help}; a command group without its
 * subcommand lists the subcommands.
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
    cl.registerConverter(java.time.LocalDate.class, Loupe::date);
    cl.registerConverter(java.time.Duration.class, Loupe::isoDuration);
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          PrintWriter err = c.getErr();
          if (c.getSubcommands().isEmpty()) {
            // one line: what was wrong, then where the options are described
            err.println("loupe: " + String.valueOf(ex.getMessage()).strip()
                + " (see: " + c.getCommandSpec().qualifiedName() + " --help)");
          } else {
            err.println("loupe: " + String.valueOf(ex.getMessage()).strip());
            c.usage(err); // a command group: list its commands
          }
          return EXIT_USAGE;
        });
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

  /** Options of type LocalDate: YYYY-MM-DD, a real calendar day. */
  static java.time.LocalDate date(String value) {
    try {
      return CalendarDay.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** Options of type Duration without their own converter: ISO-8601, e.g. PT2S or P7D. */
  static java.time.Duration isoDuration(String value) {
    try {
      return java.time.Duration.parse(value.strip());
    } catch (java.time.format.DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "must be an ISO-8601 duration such as PT2S, PT30M or P7D but was '" + value + "'");
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Loupe.class.getPackage().getImplementationVersion();
      return new String[] {"loupe " + (v == null ? "development build" : v)};
    }
  }
}
