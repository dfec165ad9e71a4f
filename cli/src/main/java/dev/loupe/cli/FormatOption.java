package dev.loupe.cli;

import picocli.CommandLine.Option;

/** The {@code --format table|json|csv} option, shared by every command that prints results. */
public final class FormatOption {

  @Option(
      names = "--format",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "table")
  Format format = Format.TABLE;

  public Format format() {
    return format;
  }
}
