package dev.loupe.graph;

/**
 * A built graph and what was dropped on the way.
 *
 * @param graph the simple undirected graph
 * @param inputEdges edges offered to the builder, self-loops and repeats included
 * @param selfLoopsDropped edges from a user to itself
 * @param duplicateEdgesDropped edges that repeated an earlier one (in either direction)
 */
public record GraphLoad(Graph graph, long inputEdges, long selfLoopsDropped, long duplicateEdgesDropped) {}
