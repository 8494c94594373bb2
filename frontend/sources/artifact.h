// Pattern and Motif artifacts (FORMATS.md §11.1): which files of a directory are pushed, in which
// order and with which media types, the manifest and its annotations, and the safe extraction of a
// pulled artifact into a directory.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "frontend/sources/oci.h"

namespace ork::sources {

/// One file of an artifact.
struct ArtifactFile {
  std::string path;        // relative, '/'-separated
  std::string mediaType;   // §11.1 table
  std::string bytes;       // file content (a directory: its tar+gzip)
  bool directory = false;  // a directory layer (`io.deis.oras.content.unpack: "true"`)
};

/// Annotation of a directory layer that pullers unpack (ORAS's convention).
inline constexpr const char* kUnpackAnnotation = "io.deis.oras.content.unpack";
/// The bytes of the empty config blob (kEmptyConfigDigest, size 2): push it with every artifact.
inline constexpr const char* kEmptyConfigBytes = "{}";

/// The §11.1 layer media type of a top-level file name (`katalog.yaml` → …katalog.v1+yaml);
/// a path ending in `/` is a directory layer (tar+gzip); anything else application/octet-stream.
std::string layerMediaType(const std::string& path);

/// Collects the files to push from `dir` in §11.1 order: katalog.yaml (or motif.yaml), crd.yaml,
/// cr.yaml, komposer.yaml, README.md, simulate.yaml, e2e.yaml, then `extra` paths sorted (go.mod,
/// go.sum, Makefile, example/, files the Katalog references). A missing optional file is skipped.
/// Paths outside `dir` (absolute, `..`) and symbolic links are refused with `*error`. A directory
/// becomes one deterministic tar+gzip (sorted entries under the directory's own name, mtime 0,
/// uid/gid 0, modes 0644/0755), so the same files always give the same layer digest.
std::optional<std::vector<ArtifactFile>> collectArtifactFiles(const std::string& dir, bool motif,
                                                              const std::vector<std::string>& extra,
                                                              std::string* error);

/// The layer descriptor of a collected file: media type, digest, size, the title annotation, and
/// `io.deis.oras.content.unpack: "true"` for a directory.
Descriptor layerDescriptor(const ArtifactFile& file);

/// Builds the image manifest (empty config, one layer per file with its title annotation, the
/// artifactType, `annotations`) in a stable JSON form; returns its bytes.
std::string buildManifest(const std::vector<Descriptor>& layers, const std::string& artifactType,
                          const std::map<std::string, std::string>& annotations);

/// Checks a layer title before anything is written: absolute, `..`, `\`, empty segments → error.
bool safeLayerTitle(const std::string& title, std::string* error);

/// Materialises a pulled artifact: every layer blob (already verified, at `blobPaths[digest]`) is
/// copied into `destDir` under its title (directory layers unpacked), all titles checked first so
/// that nothing is written when one is unsafe; writes go to a temporary directory renamed into place.
/// `destDir` must not exist or be empty (it is never merged into); on failure nothing is left.
/// A directory layer is unpacked with the same checks (no links, no entry outside its directory).
bool extractArtifact(const Manifest& manifest, const std::map<std::string, std::string>& blobPaths,
                     const std::string& destDir, std::string* error);

}  // namespace ork::sources
