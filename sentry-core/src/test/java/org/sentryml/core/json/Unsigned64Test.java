package org.sentryml.core.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import org.junit.jupiter.api.Test;

class Unsigned64Test {
  @Test
  void decimalsFromZeroToTwoToTheSixtyThreeMinusOneParse() {
    assertEquals(0, Unsigned64.parse("0"));
    assertEquals(Long.MAX_VALUE, Unsigned64.parse("9223372036854775807"));
    assertEquals(42, Unsigned64.parse(new JsonPrimitive(new LazilyParsedNumber("42"))));
  }

  @Test
  void valuesThatWouldWrapOrTurnNegativeAreRefusedNamingTheLimit() {
    assertTrue(
        assertThrows(NumberFormatException.class, () -> Unsigned64.parse("9223372036854775808"))
            .getMessage()
            .contains("2^63 - 1"));
    assertTrue(
        assertThrows(NumberFormatException.class, () -> Unsigned64.parse("18446744073709551617"))
            .getMessage()
            .contains("2^64 - 1"));
    assertThrows(NumberFormatException.class, () -> Unsigned64.parse("184467440737095516170000"));
  }

  @Test
  void signsFractionsAndExponentsAreRefusedNotRounded() {
    for (String text : new String[] {"-1", "+1", "1.5", "1e3", "0x10", " 1", ""}) {
      assertThrows(NumberFormatException.class, () -> Unsigned64.parse(text), text);
    }
    assertThrows(
        NumberFormatException.class,
        () -> Unsigned64.parse(new JsonPrimitive(new LazilyParsedNumber("1.5"))));
    assertThrows(
        NumberFormatException.class,
        () -> Unsigned64.parse(new JsonPrimitive("12")),
        "a string is not a number");
  }
}
