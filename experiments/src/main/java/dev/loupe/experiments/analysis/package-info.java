/**
 * Analysis runs: SQL → sufficient statistics → stats. Each analysis sends one aggregating DuckDB
 * query over a {@link dev.loupe.experiments.analysis.DataSource} (a CSV/Parquet file or a read-only
 * lake query) and fits from the aggregates, so rows never travel to Java one by one. The one
 * exception is the 2×2 difference-in-differences on a plain CSV file, whose cells {@code
 * CsvDidReader} computes straight from the file's bytes in parallel (DuckDB's CSV parse was most
 * of the time there); it falls back to the query for what it does not read. Input problems
 * (missing or non-numeric columns, NaN, bad indicators) become {@link IllegalArgumentException}s
 * naming the option, the column and the value.
 */
package dev.loupe.experiments.analysis;
