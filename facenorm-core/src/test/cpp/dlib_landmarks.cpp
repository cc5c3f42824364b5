// Golden maker: dlib's own shape predictor on the exact pixels Java decodes.
//
// Usage: dlib_landmarks <shape_predictor_68_face_landmarks.dat> <manifest.tsv>  > goldens.csv
// manifest.tsv: one "<image id>\t<png path>" per line; the PNG holds the 8-bit RGB pixels that
// io.github.facenorm.core.FaceImage.read decoded from the photo (see make_goldens.sh), so the JPEG
// decoder (libjpeg here, ImageIO in Java) cannot make the two sides differ.
//
// For each image: the HOG frontal_face_detector's boxes (no upsampling, adjust_threshold 0), one
// centered box, and (for the first two images) a box hanging off the image's top-left corner so
// that feature pixels fall outside the image. For each box the cascade runs twice:
//   1. a copy of shape_predictor::operator() that calls dlib's own impl:: functions
//      (extract_feature_pixel_values, regression_tree::operator(), unnormalizing_tform) but keeps
//      the final shape in float instead of rounding it to dlib::point;
//   2. dlib's real sp(img, rect), whose integer points must equal the rounded result of 1
//      (checked; the program fails otherwise).
// Output: CSV, one row per face, landmarks as %.9f.
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/md5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace dlib;

// Same fields, same order, same deserialization as dlib::shape_predictor (whose members are
// private), so the cascade can be run with dlib's code but without the final rounding.
struct predictor_fields {
  matrix<float, 0, 1> initial_shape;
  std::vector<std::vector<impl::regression_tree>> forests;
  std::vector<std::vector<unsigned long>> anchor_idx;
  std::vector<std::vector<dlib::vector<float, 2>>> deltas;
};

static void read_fields(const std::string& path, predictor_fields& f) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  int version = 0;
  deserialize(version, in);
  if (version != 1) throw std::runtime_error("unexpected shape_predictor version");
  deserialize(f.initial_shape, in);
  deserialize(f.forests, in);
  deserialize(f.anchor_idx, in);
  deserialize(f.deltas, in);
}

static std::vector<dpoint> float_shape(const predictor_fields& f, const array2d<rgb_pixel>& img,
                                       const rectangle& rect) {
  using namespace impl;
  matrix<float, 0, 1> current_shape = f.initial_shape;
  std::vector<float> feature_pixel_values;
  for (unsigned long iter = 0; iter < f.forests.size(); ++iter) {
    extract_feature_pixel_values(img, rect, current_shape, f.initial_shape, f.anchor_idx[iter],
                                 f.deltas[iter], feature_pixel_values);
    unsigned long leaf_idx;
    for (unsigned long i = 0; i < f.forests[iter].size(); ++i)
      current_shape += f.forests[iter][i](feature_pixel_values, leaf_idx);
  }
  const point_transform_affine tform_to_img = unnormalizing_tform(rect);
  std::vector<dpoint> parts(current_shape.size() / 2);
  for (unsigned long i = 0; i < parts.size(); ++i)
    parts[i] = tform_to_img(location(current_shape, i));
  return parts;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: dlib_landmarks <shape_predictor.dat> <manifest.tsv>\n";
    return 2;
  }
  try {
    shape_predictor sp;
    deserialize(argv[1]) >> sp;
    predictor_fields fields;
    read_fields(argv[1], fields);
    frontal_face_detector detector = get_frontal_face_detector();

    std::printf("image,width,height,rgb_md5,box,left,top,right,bottom,score");
    for (int i = 0; i < 68; ++i) std::printf(",x%d,y%d", i, i);
    std::printf("\n");

    std::ifstream manifest(argv[2]);
    std::string line;
    int image_index = 0;
    long faces = 0, mismatches = 0;
    while (std::getline(manifest, line)) {
      if (line.empty()) continue;
      const size_t tab = line.find('\t');
      const std::string id = line.substr(0, tab);
      const std::string png = line.substr(tab + 1);
      array2d<rgb_pixel> img;
      load_png(img, png);
      const long w = img.nc(), h = img.nr();

      std::string bytes;
      bytes.reserve(w * h * 3);
      for (long y = 0; y < h; ++y)
        for (long x = 0; x < w; ++x) {
          bytes.push_back((char)img[y][x].red);
          bytes.push_back((char)img[y][x].green);
          bytes.push_back((char)img[y][x].blue);
        }
      const std::string md5sum = md5(bytes);

      std::vector<rect_detection> dets;
      detector(img, dets, 0.0);
      std::vector<std::pair<std::string, rect_detection>> boxes;
      for (size_t i = 0; i < dets.size(); ++i)
        boxes.push_back({"hog" + std::to_string(i), dets[i]});
      const long side = (long)(0.6 * std::min(w, h));
      rect_detection centered;
      centered.rect = rectangle((w - side) / 2, (h - side) / 2, (w - side) / 2 + side - 1,
                                (h - side) / 2 + side - 1);
      centered.detection_confidence = std::nan("");
      boxes.push_back({"centered", centered});
      if (image_index < 2) {
        rect_detection edge;
        edge.rect = rectangle(-side / 3, -side / 4, -side / 3 + side - 1, -side / 4 + side - 1);
        edge.detection_confidence = std::nan("");
        boxes.push_back({"edge", edge});
      }

      for (const auto& b : boxes) {
        const rectangle& r = b.second.rect;
        const std::vector<dpoint> parts = float_shape(fields, img, r);
        const full_object_detection det = sp(img, r);
        for (unsigned long i = 0; i < det.num_parts(); ++i)
          if (point(parts[i]) != det.part(i)) ++mismatches;
        ++faces;
        std::printf("%s,%ld,%ld,%s,%s,%ld,%ld,%ld,%ld,", id.c_str(), w, h, md5sum.c_str(),
                    b.first.c_str(), r.left(), r.top(), r.right(), r.bottom());
        if (!std::isnan(b.second.detection_confidence))
          std::printf("%.9f", b.second.detection_confidence);
        for (const dpoint& p : parts) std::printf(",%.9f,%.9f", p.x(), p.y());
        std::printf("\n");
      }
      ++image_index;
    }
    std::fprintf(stderr, "dlib_landmarks: %d images, %ld faces, %ld integer-point mismatches\n",
                 image_index, faces, mismatches);
    return mismatches == 0 ? 0 : 1;
  } catch (std::exception& e) {
    std::cerr << "dlib_landmarks: " << e.what() << "\n";
    return 1;
  }
}
