package org.sentryml.confidential.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyIdTest {
  @Test
  void anIdReadsBackAsWritten() {
    KeyId id = new KeyId(ArtifactKind.DATASET, "mnist-subset", "2025-06-01");
    assertEquals("sentry:dataset/mnist-subset@2025-06-01", id.toString());
    assertEquals(Optional.of(id), KeyId.parse(id.toString()));
    assertEquals(Optional.of(id), KeyId.of(ArtifactKind.DATASET, "mnist-subset@2025-06-01"));
  }

  @Test
  void anythingOutsideTheSyntaxIsNoId() {
    for (String bad :
        List.of(
            "",
            "sentry:model/a",
            "sentry:model/@1",
            "sentry:model/a@",
            "sentry:tensor/a@1",
            "sentry:Model/a@1",
            "model/a@1",
            "sentry:model/a/b@1",
            "sentry:model/.a@1",
            "sentry:model/a@1@2",
            "sentry:model/a b@1",
            "sentry:model/a@1\n",
            "sentry:model/" + "a".repeat(129) + "@1")) {
      assertTrue(KeyId.parse(bad).isEmpty(), bad);
    }
    for (String bad : List.of("a", "@1", "a@", "a@b@c", "../a@1", "a@1/2")) {
      assertTrue(KeyId.of(ArtifactKind.MODEL, bad).isEmpty(), bad);
    }
  }
}
