// Tests of the function catalog (FORMATS.md §7.3): one case per function, nil-safety, argument
// order with and without pipes, and render errors.
#include <catch2/catch.hpp>

#include "support/template.h"
#include "support/template_functions.h"
#include "support/testing/template_helpers.h"

using namespace ork::tmpl;
using namespace ork::tmpl::testing;
using nlohmann::json;

TEST_CASE("the piped value is the last argument") {
  CHECK(run("{{ default \"x\" .spec.missing }}") == run("{{ .spec.missing | default \"x\" }}"));
  CHECK(run("{{ .spec.missing | default \"x\" }}") == "x");
  CHECK(run("{{ trimPrefix \"nginx:\" .spec.image }}") == run("{{ .spec.image | trimPrefix \"nginx:\" }}"));
  CHECK(run("{{ .spec.image | replace \"nginx\" \"httpd\" | upper }}") == "HTTPD:1.25");
}

TEST_CASE("default, empty, coalesce, ternary") {
  CHECK(run("{{ default \"d\" .spec.image }}|{{ default \"d\" .spec.empty }}|{{ default \"d\" "
            ".spec.emptyList }}") == "nginx:1.25|d|d");
  CHECK(
      run("{{ default 5 .spec.zero }}|{{ default true .spec.enabled }}|{{ default \"d\" .spec.emptyMap }}") ==
      "0|true|d");
  CHECK(run("{{ empty .spec.missing }} {{ empty .spec.zero }} {{ empty .spec.items }} {{ empty \"\" }}") ==
        "true false false true");
  CHECK(run("{{ coalesce .spec.missing .spec.empty .spec.image }}|{{ coalesce .spec.missing }}") ==
        "nginx:1.25|");
  CHECK(run("{{ ternary \"yes\" \"no\" .spec.enabled }} {{ .spec.zero | ternary \"yes\" \"no\" }}") ==
        "yes no");
}

TEST_CASE("string functions") {
  CHECK(run("{{ upper .spec.text }} {{ lower .spec.text }} {{ title \"hello wide world\" }}") ==
        "HELLO WORLD hello world Hello Wide World");
  CHECK(run("[{{ trim \"  a b \\n\" }}]") == "[a b]");
  CHECK(run("{{ trimSuffix \":1.25\" .spec.image }} {{ trimPrefix \"x\" .spec.image }}") ==
        "nginx nginx:1.25");
  CHECK(run("{{ trunc 3 .spec.image }}|{{ trunc 50 .spec.image }}|{{ trunc -4 .spec.image }}|{{ trunc 2 "
            "\"été\" }}") == "ngi|nginx:1.25|1.25|ét");
  CHECK(run("{{ replace \"l\" \"L\" .spec.text }}") == "HeLLo WorLd");
  CHECK(run("{{ contains \"World\" .spec.text }} {{ hasPrefix \"nginx\" .spec.image }} {{ hasSuffix \".26\" "
            ".spec.image }}") == "true true false");
  CHECK(run("{{ upper .spec.missing }}|{{ contains \"a\" .spec.missing }}") == "|false");
  CHECK(run("{{ upper .spec.map }}") == "ERROR: upper: expected a string, got a map");
}

TEST_CASE("split and join") {
  CHECK(value("{{ split \",\" \"a,b,,c\" }}") == json::parse(R"(["a","b","","c"])"));
  CHECK(value("{{ split \",\" \"\" }}") == json::parse(R"([""])"));
  CHECK(run("{{ join \"-\" .spec.items }}|{{ join \",\" .spec.missing }}|{{ .spec.items | join \"+\" }}") ==
        "a-b-c||a+b+c");
  CHECK(run("{{ join \",\" (list 1 true \"x\") }}") == "1,true,x");
  CHECK(run("{{ split \":\" .spec.image | join \"@\" }}") == "nginx@1.25");
}

TEST_CASE("quote, indent, nindent") {
  CHECK(run("{{ quote .spec.image }}|{{ quote \"a\\\"b\\n\" }}|{{ quote .spec.missing }}") ==
        "\"nginx:1.25\"|\"a\\\"b\\n\"|\"\"");
  CHECK(run("{{ indent 2 \"a\\nb\" }}") == "  a\n  b");
  CHECK(run("x:{{ nindent 4 \"a\\nb\" }}") == "x:\n    a\n    b");
}

TEST_CASE("toString, toInt, toFloat, toBool") {
  CHECK(value("{{ toString .spec.replicas }}") == "3");
  CHECK(value("{{ toString .spec.items }}") == "[\"a\",\"b\",\"c\"]");
  CHECK(value("{{ toInt .spec.count }}") == 7);
  CHECK(value("{{ toInt \" 12 \" }}") == 12);
  CHECK(value("{{ toInt 2.9 }}") == 2);
  CHECK(value("{{ toInt .spec.missing }}") == 0);
  CHECK(value("{{ toInt \"three\" }}") == "ERROR: toInt: cannot convert \"three\" to an integer");
  CHECK(value("{{ toFloat \"2.5\" }}") == 2.5);
  CHECK(value("{{ toFloat \"x\" }}") == "ERROR: toFloat: cannot convert \"x\" to a number");
  CHECK(value("{{ toBool \"true\" }}") == true);
  CHECK(value("{{ toBool \"0\" }}") == false);
  CHECK(value("{{ toBool 1 }}") == true);
  CHECK(value("{{ toBool .spec.missing }}") == false);
  CHECK(value("{{ toBool \"yes\" }}") ==
        "ERROR: toBool: cannot convert \"yes\" to a boolean (true, false, 1 or 0)");
}

TEST_CASE("toJson (compact, sorted keys) and toYaml (block, no trailing newline)") {
  CHECK(run("{{ toJson .spec.map }}") == R"({"a":1,"b":2,"c":3})");
  CHECK(run("{{ toJson .spec.missing }}") == "null");
  CHECK(run("{{ toJson .metadata.labels }}") == R"({"app":"web","tier":"front"})");
  json data = json::parse(
      R"({"spec": {"v": {"name": "web", "ports": [80, 443], "env": [{"name": "A", "value": "true"}],
      "empty": {}, "none": [], "nil": null, "quoted": "a: b", "multi": "x\ny", "num": "5", "ok": true,
      "nested": [[1, 2]], "f": 1.5}}})");
  CHECK(run("{{ toYaml .spec.v }}", data) ==
        "empty: {}\n"
        "env:\n"
        "- name: A\n"
        "  value: 'true'\n"
        "f: 1.5\n"
        "multi: \"x\\ny\"\n"
        "name: web\n"
        "nested:\n"
        "- - 1\n"
        "  - 2\n"
        "nil: null\n"
        "none: []\n"
        "num: '5'\n"
        "ok: true\n"
        "ports:\n"
        "- 80\n"
        "- 443\n"
        "quoted: 'a: b'");
  CHECK(run("{{ toYaml .spec.image }}") == "nginx:1.25");
  CHECK(run("{{ toYaml .spec.missing }}") == "null");
  CHECK(run("{{ toYaml (list) }}") == "[]");
  CHECK(run("{{ toYaml .spec.items | nindent 2 }}") == "\n  - a\n  - b\n  - c");
}

TEST_CASE("b64enc, b64dec, sha256sum") {
  CHECK(run("{{ b64enc \"hello\" }} {{ b64enc \"hi\" }} {{ b64enc \"abc\" }} [{{ b64enc .spec.missing }}]") ==
        "aGVsbG8= aGk= YWJj []");
  CHECK(run("{{ b64dec \"aGVsbG8=\" }} {{ \"hi\" | b64enc | b64dec }}") == "hello hi");
  CHECK(run("{{ b64dec \"***\" }}") == "ERROR: b64dec: input is not valid base64");
  CHECK(run("{{ sha256sum \"\" }}") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(run("{{ sha256sum \"abc\" }}") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256Hex(std::string(1000, 'a')) ==
        "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST_CASE("add, sub, mul, div, mod, max, min on two integers") {
  CHECK(run("{{ add 1 2 }} {{ sub 1 5 }} {{ mul 3 4 }} {{ div 7 2 }} {{ mod 7 3 }} {{ max 2 9 }} {{ min 2 9 "
            "}}") == "3 -4 12 3 1 9 2");
  CHECK(run("{{ .spec.replicas | add 1 }} {{ add .spec.count 1 }} {{ add .spec.missing 1 }}") == "4 8 1");
  CHECK(run("{{ div 1 0 }}") == "ERROR: integer division by zero");
  CHECK(run("{{ mod 1 0 }}") == "ERROR: integer division by zero");
  CHECK(run("{{ add \"x\" 1 }}") == "ERROR: add: cannot convert \"x\" to an integer");
  CHECK(run("{{ add 1 }}") == "ERROR: wrong number of arguments for add: want 2, got 1");
}

TEST_CASE("list, dict, hasKey, keys") {
  CHECK(value("{{ list 1 \"a\" .spec.missing }}") == json::parse(R"([1,"a",null])"));
  CHECK(value("{{ dict \"b\" 1 \"a\" .spec.image }}") == json::parse(R"({"a":"nginx:1.25","b":1})"));
  CHECK(value("{{ dict \"a\" }}") == "ERROR: dict: odd number of arguments (keys and values pair up)");
  CHECK(run("{{ hasKey .spec.map \"a\" }} {{ hasKey .spec.map \"z\" }} {{ hasKey .spec.missing \"a\" }}") ==
        "true false false");
  CHECK(value("{{ keys .spec.map }}") == json::parse(R"(["a","b","c"])"));
  CHECK(value("{{ keys .spec.missing }}") == json::array());
}

TEST_CASE("random functions draw from the injected source: seeded runs repeat") {
  std::string a = run("{{ randomAlphanumeric 16 }}");
  CHECK(a.size() == 16);
  CHECK(a == run("{{ randomAlphanumeric 16 }}"));
  for (char c : a) CHECK(std::isalnum(static_cast<unsigned char>(c)));
  std::string h = run("{{ randomHex 8 }}");
  CHECK(h.size() == 8);
  CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(run("{{ randomBase64 3 }}").size() == 4);
  CHECK(run("{{ randomHex -1 }}") == "ERROR: randomHex: length must be between 0 and 65536");
}

TEST_CASE("time functions read the injected clock") {
  CHECK(run("{{ now }}") == "2026-11-20T10:30:00Z");
  CHECK(run("{{ weekday }} {{ inBusinessHours }}") == "Friday true");
  CHECK(run("{{ weekday }} {{ inBusinessHours }}", sampleData(), kFriday1030 + 86400) == "Saturday false");
  CHECK(run("{{ inBusinessHours }}", sampleData(), kFriday1030 + 7 * 3600) == "false");  // 17:30
  CHECK(run("{{ timeSince \"2026-11-20T09:00:00Z\" }} {{ timeUntil \"2026-11-21T10:30:30+00:00\" }}") ==
        "1h30m0s 24h0m30s");
  CHECK(run("{{ timeSince \"2026-11-20T10:29:15.5Z\" }} {{ timeUntil \"2026-11-20T10:30:00Z\" }}") ==
        "45s 0s");
  CHECK(run("{{ timeSince \"2026-11-20T12:30:00+02:00\" }}") == "0s");
  CHECK(run("[{{ timeSince .spec.missing }}]") == "[]");
  CHECK(run("{{ timeSince \"yesterday\" }}") == "ERROR: timeSince: \"yesterday\" is not an RFC 3339 time");
}

TEST_CASE("Kubernetes object helpers are nil-safe") {
  json data = json::parse(R"({"children": {
    "deployment": {"metadata": {"generation": 2, "labels": {"app": "web"}}, "spec": {"replicas": 3,
       "template": {"spec": {"containers": [{"image": "nginx:1"}]}}},
       "status": {"observedGeneration": 2, "replicas": 3, "readyReplicas": 3, "availableReplicas": 3, "updatedReplicas": 3}},
    "stale": {"metadata": {"generation": 3}, "spec": {"replicas": 3},
       "status": {"observedGeneration": 2, "replicas": 4, "readyReplicas": 3, "availableReplicas": 2, "updatedReplicas": 1}},
    "job": {"status": {"conditions": [{"type": "Complete", "status": "True"}]}},
    "failed": {"status": {"conditions": [{"type": "Failed", "status": "True"}]}},
    "service": {"spec": {"clusterIP": "10.0.0.1"}, "status": {"loadBalancer": {"ingress": [{"hostname": "lb.example"}]}}},
    "ipService": {"status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}},
    "pod": {"spec": {"containers": [{"image": "busybox"}]}}}})");
  CHECK(run("{{ allReplicasReady .children.deployment }} {{ allReplicasReady .children.stale }} "
            "{{ allReplicasReady .children.none }}",
            data) == "true false false");
  CHECK(run("{{ rolloutComplete .children.deployment }} {{ rolloutComplete .children.stale }} "
            "{{ rolloutComplete .children.none }}",
            data) == "true false false");
  CHECK(run("{{ readyReplicas .children.stale }} {{ desiredReplicas .children.stale }} {{ availableReplicas "
            ".children.stale }} "
            "{{ updatedReplicas .children.stale }}",
            data) == "3 3 2 1");
  CHECK(run("{{ readyReplicas .children.none }} {{ desiredReplicas .children.none }} {{ availableReplicas "
            ".children.none }} "
            "{{ updatedReplicas .children.none }}",
            data) == "0 0 0 0");
  CHECK(run("{{ jobSucceeded .children.job }} {{ jobFailed .children.job }} {{ jobFailed .children.failed }} "
            "{{ jobSucceeded .children.none }}",
            data) == "true false true false");
  CHECK(run("{{ serviceClusterIP .children.service }} {{ serviceLoadBalancerHost .children.service }} "
            "{{ serviceLoadBalancerHost .children.ipService }} [{{ serviceClusterIP .children.none }}]"
            "[{{ serviceLoadBalancerHost .children.none }}]",
            data) == "10.0.0.1 lb.example 1.2.3.4 [][]");
  CHECK(run("{{ containerImage .children.deployment }} {{ containerImage .children.pod }} [{{ containerImage "
            ".children.none }}]",
            data) == "nginx:1 busybox []");
  CHECK(run("{{ getLabel .children.deployment \"app\" }} [{{ getLabel .children.deployment \"x\" }}]"
            "[{{ getLabel .children.none \"app\" }}]",
            data) == "web [][]");
}

TEST_CASE("every catalog function of §7.3 is known to the parser") {
  for (const char* name : {"default",
                           "empty",
                           "coalesce",
                           "ternary",
                           "upper",
                           "lower",
                           "title",
                           "trim",
                           "trimPrefix",
                           "trimSuffix",
                           "trunc",
                           "replace",
                           "contains",
                           "hasPrefix",
                           "hasSuffix",
                           "split",
                           "join",
                           "quote",
                           "indent",
                           "nindent",
                           "toString",
                           "toInt",
                           "toFloat",
                           "toBool",
                           "toJson",
                           "toYaml",
                           "b64enc",
                           "b64dec",
                           "sha256sum",
                           "add",
                           "sub",
                           "mul",
                           "div",
                           "mod",
                           "max",
                           "min",
                           "list",
                           "dict",
                           "hasKey",
                           "keys",
                           "randomAlphanumeric",
                           "randomHex",
                           "randomBase64",
                           "now",
                           "timeSince",
                           "timeUntil",
                           "weekday",
                           "inBusinessHours",
                           "allReplicasReady",
                           "rolloutComplete",
                           "readyReplicas",
                           "desiredReplicas",
                           "availableReplicas",
                           "updatedReplicas",
                           "jobSucceeded",
                           "jobFailed",
                           "serviceClusterIP",
                           "serviceLoadBalancerHost",
                           "containerImage",
                           "getLabel",
                           "and",
                           "or",
                           "not",
                           "eq",
                           "ne",
                           "lt",
                           "le",
                           "gt",
                           "ge",
                           "len",
                           "index",
                           "printf",
                           "print"}) {
    INFO(name);
    CHECK(isFunction(name));
  }
  CHECK(functionNames().size() == 73);
}
