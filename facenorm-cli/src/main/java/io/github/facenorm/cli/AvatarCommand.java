package io.github.facenorm.cli;

import io.github.facenorm.core.FaceImage;
import io.github.facenorm.models.face3d.AvatarFiles;
import io.github.facenorm.models.face3d.MorphableModel;
import io.github.facenorm.models.face3d.MorphableModelFitter;
import io.github.facenorm.models.normalize.FaceNormalizer;
import io.github.facenorm.models.normalize.NoFaceException;
import io.github.facenorm.models.normalize.NormalizedFace;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code facenorm avatar <photo> -o <dir>}: normalizes the photo, fits the shipped morphable model
 * to the normalized face's landmarks and writes a textured 3-D face (paper Sec. 7.3, Fig. 13):
 * {@code <dir>/<name>.obj}, {@code .mtl}, {@code .png} (UV texture), plus {@code
 * <name>-normalized.png} and a rendered {@code <name>-preview.png}. Exit 0 on success, 1 when the
 * photo has no face, 2 on bad arguments.
 */
@Command(
    name = "avatar",
    mixinStandardHelpOptions = true,
    description = {
      "Fit the 3-D morphable face model (FRL London + MediaPipe, see the README) to the normalized"
          + " face of a photo and write a textured mesh: <out>/<name>.obj + .mtl + .png, the"
          + " normalized face <name>-normalized.png and a rendered preview <name>-preview.png."
    })
final class AvatarCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PHOTO", description = "a face photo (.jpg, .png)")
  Path photo;

  @Option(
      names = {"-o", "--out"},
      required = true,
      description = "output folder")
  Path out;

  @Option(names = "--model", description = "a normalizer model folder (default: shipped)")
  Path model;

  @Option(names = "--atlas", defaultValue = "256", description = "texture side in pixels")
  int atlas;

  @Option(
      names = "--yaw",
      defaultValue = "30",
      description = "preview rotation about the vertical axis, degrees")
  double yaw;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(photo)) {
      throw new IllegalArgumentException(photo + ": not a file");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new IllegalArgumentException("--out " + out + ": exists and is not a folder");
    }
    String file = photo.getFileName().toString();
    int dot = file.lastIndexOf('.');
    String name = (dot > 0 ? file.substring(0, dot) : file).replaceAll("[^A-Za-z0-9._-]", "_");
    FaceNormalizer.Builder b = FaceNormalizer.builder();
    if (model != null) {
      b.model(model);
    }
    PrintWriter err = spec.commandLine().getErr();
    NormalizedFace face;
    try {
      face = b.build().normalize(photo);
    } catch (NoFaceException e) {
      err.println("facenorm avatar: " + e.getMessage());
      err.flush();
      return FacenormCli.FAILED;
    }
    MorphableModel mm = MorphableModel.shipped();
    MorphableModelFitter.Avatar avatar =
        new MorphableModelFitter(mm).avatar(face.image(), face.landmarks(), atlas);
    List<Path> files = AvatarFiles.write(avatar.fit().mesh(), avatar.texture(), out, name);
    face.image().write(out.resolve(name + "-normalized.png"));
    FaceImage preview = AvatarFiles.render(avatar.fit().mesh(), avatar.texture(), 256, yaw);
    preview.write(out.resolve(name + "-preview.png"));
    err.printf(
        Locale.ROOT,
        "facenorm avatar: %s -> %s (%s; landmark RMS %.2f px on the %d px normalized face)%n",
        photo,
        files.get(0),
        mm,
        avatar.fit().rmsPixels(),
        face.image().width());
    err.flush();
    return 0;
  }
}
