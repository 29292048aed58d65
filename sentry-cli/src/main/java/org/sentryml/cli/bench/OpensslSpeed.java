package org.sentryml.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sentryml.core.errors.IoFailureException;

/**
 * The AES-256-GCM ceiling of this machine as OpenSSL measures it: {@code openssl speed -evp
 * aes-256-gcm -bytes 16384 -seconds S}, on one process or on {@code -multi N}, in bytes per second.
 */
final class OpensslSpeed {
  /** The result line: the cipher's name, then the rate in thousands of bytes per second. */
  private static final Pattern RESULT =
      Pattern.compile("(?m)^(?:evp|aes-256-gcm)\\s+([0-9.]+)k\\s*$", Pattern.CASE_INSENSITIVE);

  private OpensslSpeed() {}

  /** The command for {@code processes} processes (1: none of {@code -multi}). */
  static List<String> command(int processes, int seconds) {
    List<String> command = new ArrayList<>(List.of("openssl", "speed"));
    if (processes > 1) {
      command.addAll(List.of("-multi", Integer.toString(processes)));
    }
    command.addAll(
        List.of("-evp", "aes-256-gcm", "-bytes", "16384", "-seconds", Integer.toString(seconds)));
    return command;
  }

  /** Runs it and returns bytes per second, summed over the processes. */
  static double measure(int processes, int seconds) {
    return parse(MeasuredRun.of(command(processes, seconds)).output());
  }

  /**
   * The rate in {@code openssl speed}'s output, in bytes per second (it prints thousands of bytes).
   *
   * @throws IoFailureException when the output holds no result line
   */
  static double parse(String output) {
    Matcher m = RESULT.matcher(output);
    double rate = Double.NaN;
    while (m.find()) {
      rate = Double.parseDouble(m.group(1)) * 1000;
    }
    if (Double.isNaN(rate)) {
      throw new IoFailureException(
          "openssl speed printed no AES-256-GCM result: " + output.strip());
    }
    return rate;
  }
}
