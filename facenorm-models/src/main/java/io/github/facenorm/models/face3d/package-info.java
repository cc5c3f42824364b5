/**
 * 3-D faces from open data (paper Sec. 7.3 and the Hassner et al. 2015 baseline of Fig. 8):
 * MediaPipe's canonical face mesh ({@link io.github.facenorm.models.face3d.FaceMesh}) and a Java
 * port of MediaPipe's face-mesh network ({@link io.github.facenorm.models.face3d.FaceMeshNet}).
 *
 * <p>The npm assets are fetched by {@code scripts/fetch-face3d.sh} and checked by {@link
 * io.github.facenorm.models.face3d.Face3dAssets}. Coordinate conventions: {@link
 * io.github.facenorm.models.face3d.FaceMesh} (model frame).
 */
package io.github.facenorm.models.face3d;
