/**
 * 3-D faces from open data (paper Sec. 7.3 and the Hassner et al. 2015 baseline of Fig. 8):
 * MediaPipe's canonical face mesh ({@link io.github.facenorm.models.face3d.FaceMesh}), a Java port
 * of MediaPipe's face-mesh network ({@link io.github.facenorm.models.face3d.FaceMeshNet}), a
 * morphable model built from the FRL London photos through it ({@link
 * io.github.facenorm.models.face3d.MorphableModelBuilder}, {@link
 * io.github.facenorm.models.face3d.MorphableModel}), its fit to a normalized face's landmarks with
 * OBJ export ({@link io.github.facenorm.models.face3d.MorphableModelFitter}, {@link
 * io.github.facenorm.models.face3d.AvatarFiles}), and warp-based frontalization ({@link
 * io.github.facenorm.models.face3d.WarpFrontalizer}).
 *
 * <p>The npm assets are fetched by {@code scripts/fetch-face3d.sh} and checked by {@link
 * io.github.facenorm.models.face3d.Face3dAssets}. Coordinate conventions: {@link
 * io.github.facenorm.models.face3d.FaceMesh} (model frame) and {@link
 * io.github.facenorm.models.face3d.Camera} (model to image).
 */
package io.github.facenorm.models.face3d;
