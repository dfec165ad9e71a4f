/** Multiple-comparison corrections (see {@link dev.loupe.stats.multiple.Correction}). */
package dev.loupe.stats.multiple;
