package io.github.facenorm.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON reader and writer of facenorm's modules (per-photo landmark files, tfjs weight
 * manifests, goldens), on Jackson's streaming parser with bounded depth and size.
 *
 * <p>Documents read as plain Java values: objects as {@code LinkedHashMap<String, Object>} (key
 * order kept; a duplicate key is an error), arrays as {@code List<Object>}, every number as {@code
 * Double}, plus {@code String}, {@code Boolean} and {@code null}. Nesting deeper than {@link
 * #MAX_DEPTH} and documents longer than {@link #MAX_CHARS} fail with an {@link
 * IllegalArgumentException} naming the source, never a {@link StackOverflowError}: the tree is
 * built with an explicit stack.
 */
public final class Json {

  /** Deepest nesting of arrays and objects accepted (facenorm's own files nest at most 4 deep). */
  public static final int MAX_DEPTH = 64;

  /** Longest document accepted, in characters (the largest face-api manifest is ~20 k). */
  public static final int MAX_CHARS = 64 * 1024 * 1024;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxDocumentLength(MAX_CHARS)
                  .maxStringLength(1024 * 1024)
                  .maxNumberLength(64)
                  .build())
          .build();

  private Json() {}

  /**
   * Quotes a string for JSON.
   *
   * @param s the string
   * @return {@code "…"} with {@code "}, {@code \}, and control characters escaped
   */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * Formats a number so it reads back exactly ({@code Double.toString}); non-finite values become
   * {@code null}.
   *
   * @param v the value
   * @return the JSON token
   */
  public static String number(double v) {
    if (!Double.isFinite(v)) {
      return "null";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /**
   * Parses a JSON document.
   *
   * @param text the document
   * @return the value
   * @throws IllegalArgumentException with the position of the first syntax error, or if the
   *     document nests deeper than {@link #MAX_DEPTH} or is longer than {@link #MAX_CHARS}
   */
  public static Object parse(String text) {
    return parse(text, "JSON");
  }

  /**
   * Parses a JSON document, naming its source in errors.
   *
   * @param text the document
   * @param source what to call it in error messages (a file name)
   * @return the value
   * @throws IllegalArgumentException naming the source and the problem
   */
  public static Object parse(String text, String source) {
    if (text.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          source + ": " + text.length() + " characters is more than the " + MAX_CHARS + " allowed");
    }
    try (JsonParser p = FACTORY.createParser(text)) {
      Object v = read(p, source);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException(
            source + ": trailing characters at " + where(p) + " after the JSON value");
      }
      return v;
    } catch (StreamConstraintsException e) {
      throw new IllegalArgumentException(source + ": " + e.getOriginalMessage(), e);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException(
          source + ": malformed JSON: " + e.getOriginalMessage() + " at " + where(e), e);
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and parses a UTF-8 JSON file of at most {@link #MAX_CHARS} bytes.
   *
   * @param file the file
   * @return the value
   * @throws IOException if the file cannot be read, is too large, or is not valid JSON (the message
   *     names the file)
   */
  public static Object read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_CHARS) {
      throw new IOException(
          file + ": " + size + " bytes is more than the " + MAX_CHARS + " allowed for JSON");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(file + ": not JSON (not UTF-8 text)", e);
    }
    try {
      return parse(text, file.toString());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static String where(JsonParser p) {
    var loc = p.currentTokenLocation();
    return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  private static String where(JsonParseException e) {
    var loc = e.getLocation();
    return loc == null
        ? "unknown position"
        : "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }

  /** Builds the value with an explicit stack of open containers (no recursion). */
  private static Object read(JsonParser p, String source) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw new IllegalArgumentException(source + ": empty document");
    }
    Deque<Object> open = new ArrayDeque<>();
    Deque<String> keys = new ArrayDeque<>();
    Object done = null;
    boolean finished = false;
    while (!finished) {
      Object value;
      switch (t) {
        case START_OBJECT -> {
          open.push(new LinkedHashMap<String, Object>());
          t = p.nextToken();
          continue;
        }
        case START_ARRAY -> {
          open.push(new ArrayList<Object>());
          t = p.nextToken();
          continue;
        }
        case FIELD_NAME -> {
          keys.push(p.currentName());
          t = p.nextToken();
          continue;
        }
        case END_OBJECT, END_ARRAY -> value = open.pop();
        case VALUE_STRING -> value = p.getText();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = p.getDoubleValue();
        case VALUE_TRUE -> value = Boolean.TRUE;
        case VALUE_FALSE -> value = Boolean.FALSE;
        case VALUE_NULL -> value = null;
        default -> throw new IllegalArgumentException(source + ": unexpected token " + t);
      }
      if (open.isEmpty()) {
        done = value;
        finished = true;
      } else {
        add(open.peek(), keys, value, source, p);
        t = p.nextToken();
      }
    }
    return done;
  }

  @SuppressWarnings("unchecked")
  private static void add(
      Object container, Deque<String> keys, Object value, String source, JsonParser p) {
    if (container instanceof List<?> list) {
      ((List<Object>) list).add(value);
      return;
    }
    Map<String, Object> map = (Map<String, Object>) container;
    String key = keys.pop();
    if (map.containsKey(key)) {
      throw new IllegalArgumentException(source + ": duplicate key \"" + key + "\" at " + where(p));
    }
    map.put(key, value);
  }
}
