/**
 * The plain-Java launcher of the Cairn distribution: reads {@code etc/features.xml}, installs the
 * boot features' bundles from {@code system/} into an embedded Apache Felix, hands the broker
 * configuration to the kernel as framework properties, and stops cleanly on SIGTERM.
 *
 * <p>Runs on the application class path with nothing but the Felix framework beside it; not
 * exported, and never installed into the framework it starts.
 */
package io.cairn.launcher;
