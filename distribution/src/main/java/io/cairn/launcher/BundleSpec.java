package io.cairn.launcher;

/**
 * One {@code <bundle>} of a feature: where it comes from and how it is started.
 *
 * @param coordinates the artifact named by the {@code mvn:} location
 * @param startLevel  Karaf's {@code start-level} attribute; the launcher starts bundles in
 *                    ascending start level, in feature order within a level
 * @param start       Karaf's {@code start} attribute; {@code false} installs without starting.
 *                    Fragments are never started, whatever this says.
 */
record BundleSpec(MavenCoordinates coordinates, int startLevel, boolean start) {

    /** Karaf's default start level for feature bundles ({@code karaf.startlevel.bundle}). */
    static final int DEFAULT_START_LEVEL = 80;

    /** The location as written in the features file, normalised. */
    String location() {
        return coordinates.toString();
    }

    /** The same bundle declared twice: the earlier start level wins, and started if either says so. */
    BundleSpec mergedWith(BundleSpec other) {
        return new BundleSpec(coordinates, Math.min(startLevel, other.startLevel), start || other.start);
    }
}
