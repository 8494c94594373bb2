// Encodings used by template functions (FORMATS.md §7.3): SHA-256, base64, compact JSON and a
// small block-YAML emitter over nlohmann::json.
#include <array>
#include <cstdio>
#include <cstring>

#include "support/strings.h"
#include "support/template_functions.h"

namespace ork::tmpl {
namespace {

using nlohmann::json;

constexpr std::array<uint32_t, 64> kSha256K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void sha256Block(std::array<uint32_t, 8>& h, const unsigned char* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = (uint32_t(p[4 * i]) << 24) | (uint32_t(p[4 * i + 1]) << 16) | (uint32_t(p[4 * i + 2]) << 8) |
           p[4 * i + 3];
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; ++i) {
    uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kSha256K[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool isReservedScalar(const std::string& s) {
  static const char* kWords[] = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"};
  std::string l = toLower(s);
  for (const char* w : kWords)
    if (l == w) return true;
  if (l == ".inf" || l == "-.inf" || l == "+.inf" || l == ".nan") return true;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (end && *end == '\0') return true;  // a number (also 0x1f, 1e3)
  return false;
}

bool needsQuotes(const std::string& s) {
  if (s.empty() || isReservedScalar(s)) return true;
  if (std::strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0]) != nullptr) return true;
  if (s.back() == ' ' || s.back() == ':' || s.back() == '\t') return true;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return true;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::string yamlString(const std::string& s) {
  if (!needsQuotes(s)) return s;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string yamlScalar(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::discarded: return "null";
    case json::value_t::string: return yamlString(v.get<std::string>());
    case json::value_t::array: return "[]";
    case json::value_t::object: return "{}";
    case json::value_t::boolean:
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
    case json::value_t::binary: break;
  }
  return toJson(v);
}

bool isBlock(const json& v) { return (v.is_object() || v.is_array()) && !v.empty(); }

void emitYaml(const json& v, size_t indent, std::string& out);

// A block value as the content of a `- ` item: its first line joins the dash.
void emitItem(const json& item, size_t indent, std::string& out) {
  std::string pad(indent, ' ');
  if (!isBlock(item)) {
    out += pad + "- " + yamlScalar(item) + "\n";
    return;
  }
  std::string inner;
  emitYaml(item, indent + 2, inner);
  out += pad + "- " + inner.substr(indent + 2);
}

void emitYaml(const json& v, size_t indent, std::string& out) {
  std::string pad(indent, ' ');
  if (v.is_array()) {
    for (const json& item : v) emitItem(item, indent, out);
    return;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    out += pad + yamlString(it.key()) + ":";
    const json& val = *it;
    if (val.is_object() && !val.empty()) {
      out += "\n";
      emitYaml(val, indent + 2, out);
    } else if (val.is_array() && !val.empty()) {
      out += "\n";
      emitYaml(val, indent, out);  // lists sit at their key's indentation, as yaml.v2 writes them
    } else {
      out += " " + yamlScalar(val) + "\n";
    }
  }
}

}  // namespace

std::string sha256Hex(std::string_view data) {
  std::array<uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string msg(data);
  uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  msg += static_cast<char>(0x80);
  while (msg.size() % 64 != 56) msg += '\0';
  for (int i = 7; i >= 0; --i) msg += static_cast<char>((bits >> (8 * i)) & 0xFF);
  for (size_t i = 0; i < msg.size(); i += 64)
    sha256Block(h, reinterpret_cast<const unsigned char*>(msg.data() + i));
  char out[65];
  for (int i = 0; i < 8; ++i) std::snprintf(out + 8 * i, 9, "%08x", h[static_cast<size_t>(i)]);
  return std::string(out, 64);
}

std::string base64Encode(std::string_view data) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n =
        (uint32_t(uint8_t(data[i])) << 16) | (uint32_t(uint8_t(data[i + 1])) << 8) | uint8_t(data[i + 2]);
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], kB64[(n >> 6) & 63], kB64[n & 63]};
  }
  if (i + 1 == data.size()) {
    uint32_t n = uint32_t(uint8_t(data[i])) << 16;
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == data.size()) {
    uint32_t n = (uint32_t(uint8_t(data[i])) << 16) | (uint32_t(uint8_t(data[i + 1])) << 8);
    out += {kB64[n >> 18], kB64[(n >> 12) & 63], kB64[(n >> 6) & 63], '='};
  }
  return out;
}

std::optional<std::string> base64Decode(std::string_view data) {
  if (data.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < data.size(); i += 4) {
    uint32_t n = 0;
    int pads = 0;
    for (size_t j = 0; j < 4; ++j) {
      char c = data[i + j];
      const char* p = c ? std::strchr(kB64, c) : nullptr;
      if (c == '=' && i + 4 == data.size() && j >= 2) {
        ++pads;
        n <<= 6;
        continue;
      }
      if (!p || pads > 0) return std::nullopt;
      n = (n << 6) | static_cast<uint32_t>(p - kB64);
    }
    out += static_cast<char>((n >> 16) & 0xFF);
    if (pads < 2) out += static_cast<char>((n >> 8) & 0xFF);
    if (pads < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

std::string toJson(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string toYaml(const json& v) {
  if (!isBlock(v)) return yamlScalar(v);
  std::string out;
  emitYaml(v, 0, out);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace ork::tmpl
