package io.github.facenorm.models.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code facenorm} command line (see {@code scripts/facenorm}). */
@Command(
    name = "facenorm",
    mixinStandardHelpOptions = true,
    version = "facenorm 0.1.0-SNAPSHOT",
    description = "Face normalization after Cole et al., CVPR 2017.",
    subcommands = {
      WarpCommand.class,
      PrepareCommand.class,
      TrainCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FacenormCli {

  private FacenormCli() {}

  /**
   * Runs the command line and exits with its status: 0 on success, 1 on a failed run, 2 on bad
   * arguments.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line without exiting, for tests and embedding.
   *
   * @param args command-line arguments
   * @return the exit status
   */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new FacenormCli());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("facenorm " + cmd.getCommandName() + ": " + e.getMessage());
          return e instanceof IllegalArgumentException || e instanceof java.io.IOException ? 2 : 1;
        });
    return cli.execute(args);
  }
}
