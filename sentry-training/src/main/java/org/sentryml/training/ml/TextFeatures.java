package org.sentryml.training.ml;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.sentryml.core.errors.MalformedInputException;
import org.sentryml.data.dataset.Sample;

/**
 * Tokenises text samples with a Hugging Face tokenizer (the native {@code tokenizers} library
 * through DJL) built from the bytes of a {@code tokenizer.json}: exactly the bytes the caller
 * verified, never a file read again. Holds a native handle: close it. Not thread-safe.
 */
public final class TextFeatures implements AutoCloseable {
  /** The tokenizer's file name in dataset and model folders. */
  public static final String FILE = "tokenizer.json";

  /** A tokenizer file is a few MiB at most; anything larger is the wrong file. */
  public static final long MAX_FILE_BYTES = 64L << 20;

  /** Tokens kept per text when a model is created. */
  public static final int DEFAULT_MAX_TOKENS = 128;

  private final HuggingFaceTokenizer tokenizer;
  private final byte[] json;

  private TextFeatures(HuggingFaceTokenizer tokenizer, byte[] json) {
    this.tokenizer = tokenizer;
    this.json = json;
  }

  /**
   * Loads a Hugging Face {@code tokenizer.json}.
   *
   * @throws MalformedInputException when the bytes are not a usable tokenizer
   */
  public static TextFeatures fromJson(byte[] json) {
    try {
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(json.clone()),
              Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false"));
      return new TextFeatures(tokenizer, json.clone());
    } catch (IOException | RuntimeException e) {
      throw new MalformedInputException(
          FILE + ": not a usable Hugging Face tokenizer: " + e.getMessage());
    }
  }

  /** The tokenizer file's bytes, to save beside the model. */
  public byte[] json() {
    return json.clone();
  }

  /** The vocabulary size: one more than the largest id the tokenizer can produce. */
  public int vocabSize() {
    // The tokenizer's vocabulary is not exposed through DJL; encode-time ids are checked instead,
    // so a size is taken from the JSON's model.vocab (WordLevel, WordPiece, BPE) when present.
    return TokenizerVocabulary.size(json);
  }

  /** Writes the sample's token ids, padded with 0 and cut at {@code spec.maxTokens()}. */
  public void write(Sample sample, ClassifierSpec spec, long[] target, int offset) {
    long[] ids;
    try {
      ids = tokenizer.encode(decode(sample)).getIds();
    } catch (RuntimeException e) {
      throw new MalformedInputException(
          "sample " + sample.key() + ": cannot tokenise: " + e.getMessage());
    }
    int kept = Math.min(ids.length, spec.maxTokens());
    for (int i = 0; i < kept; i++) {
      if (ids[i] < 0 || ids[i] >= spec.vocabSize()) {
        throw new MalformedInputException(
            String.format(
                Locale.ROOT,
                "sample %s: token id %d is outside the model's vocabulary of %d",
                sample.key(),
                ids[i],
                spec.vocabSize()));
      }
      target[offset + i] = ids[i];
    }
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static String decode(Sample sample) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(sample.data()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedInputException("sample " + sample.key() + " is not valid UTF-8 text");
    }
  }
}
