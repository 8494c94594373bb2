// What the registry commands (push, pull, inspect, patterns) share: reading a command REF against the
// default registries, opening the registry it names, and the human cells of FORMATS.md §11.3/§11.4.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/sources/fetcher.h"
#include "frontend/sources/oci.h"
#include "support/diagnostics.h"
#include "support/http.h"

namespace ork::cli {

/// `$ORK_REGISTRY`, else `ghcr.io/orkspace/orkestra-registry/patterns/katalogs` (§16).
std::string defaultKatalogRegistry();
/// `$ORK_MOTIFS_REGISTRY`, else `ghcr.io/orkspace/orkestra-registry/patterns/motifs` (§16).
std::string defaultMotifRegistry();

/// Reads a command REF (§11.2/§11.3): a bare `name[:tag]` goes under the Katalog registry, or the
/// Motif registry when `motif`. Returns nullopt with `*error` set on malformed input.
std::optional<sources::OciRef> commandRef(std::string_view text, bool motif, std::string* error);

/// A registry opened for a ref, and the repository path to use with it ("" for layouts).
struct OpenedRegistry {
  std::unique_ptr<sources::Registry> registry;
  std::string repo;
};

/// Opens the registry `ref` names: a layout ref → openLayoutRegistry(ref.layoutDir, createLayout);
/// otherwise openRemoteRegistry(ref.registry, …) with Docker-config credentials, plain HTTP for
/// loopback, `insecureHosts` and ORK_INSECURE_REGISTRIES.
OpenedRegistry openRegistryFor(const sources::OciRef& ref, http::Client& client, bool createLayout,
                               const std::vector<std::string>& insecureHosts = {});

/// The one HTTP client the commands use (libcurl, user agent `ork`).
std::unique_ptr<http::Client> makeHttpClient();

/// Where a ref lives, as users name it for `docker login`: `host[:port]`, or `oci-layout:<dir>`.
std::string refHost(const sources::OciRef& ref);

/// 1024-based size with one decimal above bytes: `512 B`, `7.4 KB`, `2.0 MB`.
std::string humanSize(uint64_t bytes);
/// An age in the largest whole unit: `45s`, `12m`, `3h`, `12d` (negative ages read as 0s).
std::string humanAge(int64_t seconds);
/// Seconds since the epoch of an RFC 3339 time (`2026-03-02T09:14:05Z`, fractions and offsets
/// accepted); nullopt when malformed.
std::optional<int64_t> parseRfc3339(std::string_view text);
/// The current time in seconds since the epoch.
int64_t nowUnix();

/// The §11.3 cell of one gate (`gate` is "simulate" or "e2e") from the manifest annotations
/// `io.orkestra.<gate>.*`: `✓ Verified · 6 assertions · 862ms · tested 12d ago`,
/// `✗ Failed · 2 of 6 assertions failed`, `⊘ Skipped`, `⚠ No assertions`, `- Not verified`.
/// Ages are measured from `now` (seconds since the epoch; -1 = nowUnix()).
std::string gateCell(const std::map<std::string, std::string>& annotations, std::string_view gate,
                     int64_t now = -1);
/// The one-character mark of a gate status (§11.4 columns): passed `✓`, failed `✗`, skipped `⊘`,
/// no-assertion `⚠`, anything else (absent) `-`.
std::string gateMark(std::string_view status);

/// How a command shows an OciError: the §10.3 message, its code, and a help line (the table's
/// resolution; for a 401 `docker login <host>`).
struct ErrorText {
  DiagCode code = DiagCode::NetworkError;
  std::string message;
  std::string help;
};
ErrorText ociErrorText(const sources::OciError& error, const std::string& host);

/// The same for a Fetcher's failure: FetchFailure::message() and help(), coded by kind; a 401 gets
/// the `docker login <host>` hint.
ErrorText fetchFailureText(const sources::FetchFailure& failure, const std::string& host);

/// Reports `<ref>: <message>` for an OciError as a coded diagnostic (no location) with its help line.
void reportOciError(DiagnosticEngine& diags, const sources::OciRef& ref, const sources::OciError& error);

}  // namespace ork::cli
