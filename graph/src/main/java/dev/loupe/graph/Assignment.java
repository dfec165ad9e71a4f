package dev.loupe.graph;

/**
 * One user's row of an assignment table.
 *
 * @param user the user id
 * @param cluster the randomization unit (cluster number, attribute value, ego id, or the user)
 * @param treated whether the user gets the treatment
 * @param clusterShare the share of the cluster's users targeted for treatment (two-stage: the
 *     within share for treated clusters, 0 for control clusters; cluster designs: 1 or 0)
 * @param design {@code cluster} or {@code individual} in the interference-test design (the arm of
 *     the cluster); the method's name otherwise
 * @param role {@code ego} or {@code alter} in an ego design, empty otherwise
 */
public record Assignment(String user, String cluster, boolean treated, double clusterShare, String design, String role) {}
