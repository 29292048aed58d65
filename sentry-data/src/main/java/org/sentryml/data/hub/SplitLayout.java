package org.sentryml.data.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.core.errors.UsageException;

/**
 * Where a dataset repository keeps its parquet files, following the Hub's conventions:
 *
 * <ul>
 *   <li>{@code data/{split}-00000-of-00002-{hash}.parquet}: config {@code default};
 *   <li>{@code {config}/{split}-00000-of-00001.parquet}: config from the folder;
 *   <li>{@code {config}/{split}/0000.parquet}: the parquet-conversion branch layout;
 *   <li>{@code {split}-....parquet} or {@code {split}.parquet} at the top: config {@code default}.
 * </ul>
 *
 * <p>A split name is the file name up to its first {@code -} or {@code .}, since Hub split names
 * are word characters and dots-free; in the conversion layout it is the parent folder. Pure
 * functions, thread-safe.
 */
public final class SplitLayout {
  /** The configuration name of files under {@code data/} or at the top of the repository. */
  public static final String DEFAULT_CONFIG = "default";

  private static final Pattern NUMBERED = Pattern.compile("[0-9]+\\.parquet");

  private SplitLayout() {}

  /** Whether {@code path} names a parquet file (by extension, case-insensitively). */
  public static boolean isParquet(String path) {
    return path.toLowerCase(Locale.ROOT).endsWith(".parquet");
  }

  /** The split a parquet file belongs to, or empty for files that are not parquet. */
  public static Optional<String> splitOf(String path) {
    if (!isParquet(path)) {
      return Optional.empty();
    }
    String[] segments = path.split("/", -1);
    String name = segments[segments.length - 1];
    if (NUMBERED.matcher(name).matches() && segments.length >= 2) {
      return Optional.of(segments[segments.length - 2]);
    }
    int end = name.length() - ".parquet".length();
    int dash = name.indexOf('-');
    int dot = name.indexOf('.');
    end = Math.min(end, dash < 0 ? end : dash);
    end = Math.min(end, dot < 0 ? end : dot);
    return end == 0 ? Optional.empty() : Optional.of(name.substring(0, end));
  }

  /**
   * The configuration a parquet file belongs to: its first folder, except {@code data} and the
   * repository top, which are the {@value #DEFAULT_CONFIG} configuration.
   */
  public static String configOf(String path) {
    int slash = path.indexOf('/');
    if (slash < 0) {
      return DEFAULT_CONFIG;
    }
    String first = path.substring(0, slash);
    return first.equals("data") ? DEFAULT_CONFIG : first;
  }

  /**
   * Configuration name to split name to its parquet paths, all sorted; non-parquet paths are
   * skipped.
   */
  public static Map<String, Map<String, List<String>>> group(List<String> paths) {
    Map<String, Map<String, List<String>>> configs = new TreeMap<>();
    for (String path : paths) {
      Optional<String> split = splitOf(path);
      if (split.isEmpty()) {
        continue;
      }
      configs
          .computeIfAbsent(configOf(path), c -> new TreeMap<>())
          .computeIfAbsent(split.get(), s -> new ArrayList<>())
          .add(path);
    }
    configs.values().forEach(splits -> splits.values().forEach(list -> list.sort(null)));
    return configs;
  }

  /**
   * The splits of the chosen configuration: {@code config} if given, else the only one present.
   *
   * @throws UsageException if {@code config} is absent or several exist and none was named (the
   *     message lists them); {@link MalformedInputException} if there are no parquet files at all
   */
  public static Selection select(String where, List<String> paths, String config) {
    Map<String, Map<String, List<String>>> configs = group(paths);
    if (configs.isEmpty()) {
      throw new MalformedInputException("no parquet files in " + where);
    }
    if (config == null) {
      if (configs.size() > 1) {
        throw new UsageException(
            where
                + " has several configurations, choose one with --config: "
                + String.join(", ", configs.keySet()));
      }
      config = configs.keySet().iterator().next();
    }
    Map<String, List<String>> splits = configs.get(config);
    if (splits == null) {
      throw new UsageException(
          where
              + " has no configuration '"
              + config
              + "'; it has: "
              + String.join(", ", configs.keySet()));
    }
    return new Selection(config, splits);
  }

  /** A chosen configuration and its split name to sorted parquet paths. */
  public record Selection(String config, Map<String, List<String>> splits) {}
}
