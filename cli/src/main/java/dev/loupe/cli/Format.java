package dev.loupe.cli;

/** How a command prints its result: a table for people, JSON or CSV for programs. */
public enum Format {
  TABLE,
  JSON,
  CSV
}
