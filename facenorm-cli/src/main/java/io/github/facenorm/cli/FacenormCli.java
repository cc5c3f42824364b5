package io.github.facenorm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code facenorm} command line (see {@code scripts/facenorm}).
 *
 * <p>Exit statuses: 0 success; 1 a run that did not do its job (e.g. {@code prepare} where every
 * photo failed); 2 bad arguments or a run that could not start (an input that does not exist, an
 * output folder that is a file or cannot be written).
 */
@Command(
    name = "facenorm",
    mixinStandardHelpOptions = true,
    versionProvider = FacenormCli.Version.class,
    description = "Face normalization after Cole et al., CVPR 2017.",
    subcommands = {
      WarpCommand.class,
      PrepareCommand.class,
      NormalizeCommand.class,
      TrainCommand.class,
      AugmentCommand.class,
      EvaluateCommand.class,
      AvatarCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FacenormCli {

  /** Exit status of a run that did not do its job. */
  static final int FAILED = 1;

  /** Exit status of bad arguments or a run that could not start. */
  static final int USAGE = 2;

  private FacenormCli() {}

  /**
   * Runs the command line and exits with its status.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    // SameDiff prints one "Added differentiated op" line per op to System.out when it builds a
    // gradient function; those lines are not output of ours.
    System.setOut(new DroppingPrintStream(System.out, "Added differentiated op "));
    System.exit(run(args));
  }

  /**
   * Runs the command line without exiting, printing to {@link System#out} and {@link System#err},
   * for tests and embedding.
   *
   * @param args command-line arguments
   * @return the exit status
   */
  public static int run(String... args) {
    Charset cs = Charset.defaultCharset();
    return run(
        new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true),
        new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true),
        stderrIsTerminal(),
        args);
  }

  /**
   * Whether standard error is a terminal: on Linux from what file descriptor 2 points to, elsewhere
   * {@link System#console()} (which says so for standard input and output).
   */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /**
   * Runs the command line without exiting.
   *
   * @param out where results go
   * @param err where messages and progress go
   * @param terminal whether {@code err} is a terminal (progress lines are then rewritten in place)
   * @param args command-line arguments
   * @return the exit status
   */
  public static int run(PrintWriter out, PrintWriter err, boolean terminal, String... args) {
    CommandLine cli = new CommandLine(new FacenormCli());
    cli.setOut(out);
    cli.setErr(err);
    for (CommandLine sub : cli.getSubcommands().values()) {
      if (sub.getCommand() instanceof TerminalAware t) {
        t.terminal(terminal);
      }
    }
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("facenorm " + cmd.getCommandName() + ": " + message(e));
          cmd.getErr().flush();
          return e instanceof IllegalArgumentException || e instanceof IOException ? USAGE : FAILED;
        });
    int status;
    try {
      status = cli.execute(args);
    } catch (
        Throwable t) { // NOPMD: picocli passes Errors through; the user gets a line, not a trace
      String name = args.length > 0 ? "facenorm " + args[0] : "facenorm";
      err.println(name + ": " + describeError(t));
      status = FAILED;
    }
    out.flush();
    err.flush();
    return status;
  }

  /** One line for an Error (or anything else picocli did not handle), saying what to do. */
  static String describeError(Throwable t) {
    if (t instanceof OutOfMemoryError) {
      return "out of memory ("
          + message(t)
          + "); give Java more heap (-Xmx, for scripts/facenorm in FACENORM_JAVA_OPTS) or use"
          + " smaller inputs (the limits -Dfacenorm.maxPixels and -Dfacenorm.maxPoints bound them)";
    }
    if (t instanceof StackOverflowError) {
      return "stack overflow (an input nested too deeply); nothing written";
    }
    return t.getClass().getSimpleName() + ": " + message(t);
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException f && f.getReason() == null) {
      return m + ": no such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException f && f.getReason() == null) {
      return m + ": permission denied";
    }
    return m == null || m.isBlank() ? e.toString() : m;
  }

  /** A command whose progress output depends on whether stderr is a terminal. */
  interface TerminalAware {
    void terminal(boolean terminal);
  }

  /** The version this jar was built as, from {@code version.properties} (filtered by Maven). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      return new String[] {"facenorm " + version()};
    }

    static String version() throws IOException {
      Properties p = new Properties();
      try (InputStream in = FacenormCli.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          throw new IOException("version.properties missing from the facenorm-cli jar");
        }
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    }
  }

  /** Drops whole lines that start with a prefix; passes everything else through. */
  static final class DroppingPrintStream extends PrintStream {
    DroppingPrintStream(OutputStream target, String prefix) {
      super(new LineFilter(target, prefix), true, Charset.defaultCharset());
    }
  }

  private static final class LineFilter extends OutputStream {
    private final OutputStream target;
    private final byte[] prefix;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    LineFilter(OutputStream target, String prefix) {
      this.target = target;
      this.prefix = prefix.getBytes(Charset.defaultCharset());
    }

    @Override
    public synchronized void write(int b) throws IOException {
      line.write(b);
      if (b == '\n') {
        emit();
      }
    }

    @Override
    public synchronized void flush() throws IOException {
      // A partial line that cannot be one of the dropped ones goes out now (prompts, progress).
      if (line.size() > 0 && !startsLikePrefix()) {
        emit();
      }
      target.flush();
    }

    private boolean startsLikePrefix() {
      byte[] b = line.toByteArray();
      int n = Math.min(b.length, prefix.length);
      for (int i = 0; i < n; i++) {
        if (b[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    private void emit() throws IOException {
      byte[] b = line.toByteArray();
      line.reset();
      boolean drop = b.length >= prefix.length && startsWith(b);
      if (!drop) {
        target.write(b);
      }
    }

    private boolean startsWith(byte[] b) {
      for (int i = 0; i < prefix.length; i++) {
        if (b[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public void close() throws IOException {
      flush();
      target.close();
    }
  }
}
