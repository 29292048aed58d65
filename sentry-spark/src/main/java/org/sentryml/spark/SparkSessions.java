package org.sentryml.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.jspecify.annotations.Nullable;

/**
 * The one Spark session a JVM uses. In local mode ({@code local[N]}) the driver binds to 127.0.0.1
 * and the web UI is off, the settings that run on a machine with no other network; on a cluster
 * (under {@code spark-submit}) the master and everything else come from Spark's own configuration.
 *
 * <p>A session is shared, never stopped by a job: Spark allows one active context per JVM, and a
 * job that stopped it would break the next one in the same JVM (tests, a long-lived driver).
 */
public final class SparkSessions {
  /** The application name every job runs under. */
  public static final String APP_NAME = "sentry-spark";

  private SparkSessions() {}

  /**
   * The JVM's session, created on first use.
   *
   * @param master {@code local[2]}, {@code spark://...}, {@code yarn}, ...; null to take {@code
   *     spark.master} from the configuration spark-submit passes
   * @param conf extra Spark settings ({@code --conf key=value})
   */
  public static synchronized SparkSession get(@Nullable String master, Map<String, String> conf) {
    SparkSession.Builder builder = SparkSession.builder().appName(APP_NAME);
    String effective = master != null ? master : System.getProperty("spark.master");
    if (effective == null) {
      effective = "local[2]";
    }
    builder.master(effective);
    if (effective.startsWith("local")) {
      builder
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    conf.forEach(builder::config);
    SparkSession session = builder.getOrCreate();
    session.sparkContext().setLogLevel("WARN");
    return session;
  }
}
