// Tests of the canonical printers: block YAML of nodes (layout, quoting, numbers, span comments),
// documents and modules, and the JSON writer.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "ir/printer.h"
#include "support/source_manager.h"
#include "support/template_ast.h"

using namespace ork;
using namespace ork::ir;

namespace {

NodePtr str(const std::string& s, Span span = {}) { return Node::makeString(s, span); }

NodePtr flt(double v) {
  auto n = Node::makeNull();
  n->kind = NodeKind::Float;
  n->floatValue = v;
  return n;
}

NodePtr list(std::vector<NodePtr> items) {
  auto l = Node::makeList();
  for (NodePtr& i : items) l->items.push_back(std::move(i));
  return l;
}

std::string scalar(const std::string& s) { return formatScalar(*str(s)); }

}  // namespace

TEST_CASE("printNode: block layout in document order") {
  auto root = Node::makeMap();
  root->set("name", str("web"));
  auto spec = Node::makeMap();
  spec->set("replicas", Node::makeInt(2));
  spec->set("ports", list([] {
              std::vector<NodePtr> v;
              v.push_back(Node::makeInt(80));
              v.push_back(Node::makeInt(443));
              return v;
            }()));
  auto container = Node::makeMap();
  container->set("image", str("nginx"));
  container->set("args", list({}));
  spec->set("containers", list([&] {
              std::vector<NodePtr> v;
              v.push_back(std::move(container));
              return v;
            }()));
  spec->set("labels", Node::makeMap());
  root->set("spec", std::move(spec));
  root->set("zeta", Node::makeNull());
  root->set("alpha", Node::makeBool(false));
  CHECK(printNode(*root) ==
        "name: web\n"
        "spec:\n"
        "  replicas: 2\n"
        "  ports:\n"
        "    - 80\n"
        "    - 443\n"
        "  containers:\n"
        "    - image: nginx\n"
        "      args: []\n"
        "  labels: {}\n"
        "zeta: null\n"
        "alpha: false\n");
}

TEST_CASE("printNode: top-level scalars, empty collections and nested lists") {
  CHECK(printNode(*str("x")) == "x\n");
  CHECK(printNode(*Node::makeMap()) == "{}\n");
  CHECK(printNode(*Node::makeList()) == "[]\n");
  std::vector<NodePtr> inner;
  inner.push_back(str("a"));
  inner.push_back(str("b"));
  std::vector<NodePtr> outer;
  outer.push_back(list(std::move(inner)));
  outer.push_back(Node::makeList());
  CHECK(printNode(*list(std::move(outer))) == "- - a\n  - b\n- []\n");
}

TEST_CASE("strings are quoted only when a reader would not read them back as the same string") {
  // Plain.
  for (const char* plain : {"web", "nginx:1.25", "ghcr.io/acme/shop:1.4.2", "-c", "a-b", "10.0.0.1", "say \"hi\"",
                            "1.2.3", "v1.2.0", "caf\xc3\xa9", "a:b", "a#b", "http://x/y?z=1", "Running/test"}) {
    INFO(plain);
    CHECK(scalar(plain) == plain);
  }
  // Core-schema look-alikes and YAML 1.1 booleans.
  for (const char* word : {"", "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~", "5432", "-7", "+3",
                           "0x1F", "0o17", "0b101", "1_000", "1.5", ".5", "1e3", "-.inf", ".nan", "1:30"}) {
    INFO(word);
    CHECK(scalar(word) == "\"" + std::string(word) + "\"");
  }
  // Indicators, significant spaces, comments, key-like text.
  CHECK(scalar("{{ .metadata.name }}") == "\"{{ .metadata.name }}\"");
  CHECK(scalar("[a]") == "\"[a]\"");
  CHECK(scalar("*alias") == "\"*alias\"");
  CHECK(scalar("&a") == "\"&a\"");
  CHECK(scalar("!tag") == "\"!tag\"");
  CHECK(scalar("#x") == "\"#x\"");
  CHECK(scalar("|") == "\"|\"");
  CHECK(scalar("-") == "\"-\"");
  CHECK(scalar("- a") == "\"- a\"");
  CHECK(scalar("? q") == "\"? q\"");
  CHECK(scalar(" lead") == "\" lead\"");
  CHECK(scalar("trail ") == "\"trail \"");
  CHECK(scalar("a: b") == "\"a: b\"");
  CHECK(scalar("a #b") == "\"a #b\"");
  CHECK(scalar("key:") == "\"key:\"");
  CHECK(scalar("---") == "\"---\"");
  CHECK(scalar("<<") == "\"<<\"");
  CHECK(scalar("'q'") == "\"'q'\"");
}

TEST_CASE("quoted strings escape quotes, backslashes and control characters") {
  CHECK(scalar("\"x\" \\ y") == "\"\\\"x\\\" \\\\ y\"");
  CHECK(scalar("line1\nline2\n") == "\"line1\\nline2\\n\"");
  CHECK(scalar("a\tb") == "\"a\\tb\"");
  CHECK(scalar("cr\r") == "\"cr\\r\"");
  CHECK(scalar(std::string("nul\0x", 5)) == "\"nul\\x00x\"");
  CHECK(scalar("bell\x07") == "\"bell\\x07\"");
  CHECK(scalar("del\x7f") == "\"del\\x7F\"");
  CHECK(scalar("a\xe2\x80\xa8z") == "\"a\\Lz\"");  // U+2028 is a line break to YAML
  CHECK(scalar("a\xc2\x85z") == "\"a\\Nz\"");      // U+0085 too
}

TEST_CASE("keys are quoted by the same rules") {
  auto m = Node::makeMap();
  m->set("on", Node::makeInt(1));
  m->set("a b", Node::makeInt(2));
  m->set("x: y", Node::makeInt(3));
  m->set("", Node::makeInt(4));
  CHECK(printNode(*m) == "\"on\": 1\na b: 2\n\"x: y\": 3\n\"\": 4\n");
}

TEST_CASE("numbers: decimal integers, shortest round-trip floats that stay floats") {
  auto hex = Node::makeInt(31);
  hex->text = "0x1F";  // the text as written does not matter: the value is printed
  CHECK(formatScalar(*hex) == "31");
  CHECK(formatScalar(*Node::makeInt(-9223372036854775807LL - 1)) == "-9223372036854775808");
  CHECK(formatScalar(*flt(1.5)) == "1.5");
  CHECK(formatScalar(*flt(1.0)) == "1.0");
  CHECK(formatScalar(*flt(0.1)) == "0.1");
  CHECK(formatScalar(*flt(-2.0)) == "-2.0");
  CHECK(formatScalar(*flt(1e21)) == "1e+21");
  CHECK(formatScalar(*flt(1.0 / 3)) == "0.3333333333333333");
  CHECK(formatScalar(*flt(std::numeric_limits<double>::infinity())) == ".inf");
  CHECK(formatScalar(*flt(-std::numeric_limits<double>::infinity())) == "-.inf");
  CHECK(formatScalar(*flt(std::nan(""))) == ".nan");
  CHECK(formatScalar(*Node::makeBool(true)) == "true");
  CHECK(formatScalar(*Node::makeNull()) == "null");
  CHECK(formatScalar(*Node::makeMap()).empty());
}

TEST_CASE("span comments name each value's location") {
  SourceManager sm;
  FileId f = sm.addBuffer("k.yaml", "spec:\n  workers: 4\n  tags: [a]\n");
  auto root = Node::makeMap(Span{f, 0, 5});
  auto spec = Node::makeMap(Span{f, 8, 36});
  spec->set("workers", Node::makeInt(4, Span{f, 17, 18}));
  std::vector<NodePtr> tags;
  tags.push_back(str("a", Span{f, 28, 29}));
  tags.push_back(str("b"));  // made by a pass without a span
  spec->set("tags", list(std::move(tags)));
  root->set("spec", std::move(spec));
  PrintOptions opts;
  opts.sources = &sm;
  CHECK(printNode(*root, opts) ==
        "spec:  # k.yaml:2:3\n"
        "  workers: 4  # k.yaml:2:12\n"
        "  tags:\n"
        "    - a  # k.yaml:3:10\n"
        "    - b\n");
  CHECK(printNode(*root).find('#') == std::string::npos);  // no options, no locations
}

TEST_CASE("annotate comments the values it names, and only those") {
  auto root = Node::makeMap();
  auto spec = root->set("spec", Node::makeMap());
  const Node* workers = spec->set("workers", Node::makeInt(4));
  spec->set("resync", str("5m"));
  std::vector<NodePtr> items;
  items.push_back(str("a"));
  const Node* tags = spec->set("tags", list(std::move(items)));
  PrintOptions opts;
  opts.annotate = [&](const Node& n) {
    if (&n == workers) return std::string("overridden by komposer.yaml:3:7");
    return &n == tags ? std::string("from tags") : std::string();
  };
  CHECK(printNode(*root, opts) ==
        "spec:\n"
        "  workers: 4  # overridden by komposer.yaml:3:7\n"
        "  resync: 5m\n"
        "  tags:  # from tags\n"
        "    - a\n");
}

TEST_CASE("an annotated mapping in a list carries its comment on the dash's line") {
  auto root = Node::makeList();
  auto item = Node::makeMap();
  item->set("name", str("web"));
  item->set("port", Node::makeInt(80));
  const Node* annotated = item.get();
  root->items.push_back(std::move(item));
  auto plain = Node::makeMap();
  plain->set("name", str("db"));
  root->items.push_back(std::move(plain));
  PrintOptions opts;
  opts.annotate = [&](const Node& n) { return &n == annotated ? std::string("from motif web:v1") : std::string(); };
  CHECK(printNode(*root, opts) ==
        "-  # from motif web:v1\n"
        "  name: web\n"
        "  port: 80\n"
        "- name: db\n");
}

TEST_CASE("a string whose template was rewritten prints what the template now reads") {
  auto root = Node::makeMap();
  Node* image = root->set("image", str("{{ .inputs.image }}"));
  auto t = std::make_shared<ork::tmpl::Template>();
  t->source = "{{ .spec.image }}";
  image->parsed = t;
  CHECK(printNode(*root) == "image: \"{{ .spec.image }}\"\n");
  CHECK(nodeToJson(*root) == "{\"image\":\"{{ .spec.image }}\"}");
}

TEST_CASE("printDocument: header, kind, metadata, typed fields, then the body") {
  SourceManager sm;
  FileId f = sm.addBuffer("motif.yaml", "x");
  Document d;
  d.kind = DocKind::Motif;
  d.path = "motifs/web/motif.yaml";
  d.metadata.name = {"web-service", Span{f, 0, 1}};
  d.metadata.version = {"v1.1.0", {}};
  d.metadata.tags = {"web", "yes"};
  d.root = Node::makeMap();
  d.root->set("kind", str("Motif"));
  auto inputs = Node::makeList();
  auto port = Node::makeMap();
  port->set("name", str("port"));
  port->set("default", Node::makeInt(8080));
  inputs->items.push_back(std::move(port));
  d.root->set("inputs", std::move(inputs));
  MotifInput image;
  image.name = {"image", {}};
  image.required = true;
  d.inputs.push_back(image);
  MotifInput p;
  p.name = {"port", {}};
  p.type = "integer";
  p.defaultValue = d.root->get("inputs")->items[0]->get("default");
  d.inputs.push_back(p);
  d.referencedPaths.push_back({"./cr.yaml", {}});
  CHECK(printDocument(d) ==
        "# Motif web-service (motifs/web/motif.yaml)\n"
        "kind: Motif\n"
        "metadata:\n"
        "  name: web-service\n"
        "  version: v1.1.0\n"
        "  tags:\n"
        "    - web\n"
        "    - \"yes\"\n"
        "inputs:\n"
        "  - name: image\n"
        "    required: true\n"
        "    type: string\n"
        "  - name: port\n"
        "    required: false\n"
        "    type: integer\n"
        "    default: 8080\n"
        "referencedPaths:\n"
        "  - ./cr.yaml\n"
        "body:\n"
        "  kind: Motif\n"
        "  inputs:\n"
        "    - name: port\n"
        "      default: 8080\n");
  d.indexInFile = 2;
  CHECK(printDocument(d).rfind("# Motif web-service (motifs/web/motif.yaml, document 3)\n", 0) == 0);
}

TEST_CASE("printDocument: CRD entries and imports of a Komposer") {
  Document d;
  d.kind = DocKind::Komposer;
  d.path = "komposer.yaml";
  d.metadata.name = {"platform", {}};
  RegistryImport r;
  r.url = {"ghcr.io/acme/pg", {}};
  r.version = "v14";
  r.oci = true;
  d.registryImports.push_back(r);
  FileImport file;
  file.path = {"./katalogs/billing.yaml", {}};
  d.fileImports.push_back(file);
  CrdEntry c;
  c.name = {"postgres", {}};
  c.enabled = false;
  c.dependsOn.push_back({{"redis", {}}, DependencyCondition::Healthy, {}});
  c.body = Node::makeMap();
  c.body->set("workers", Node::makeInt(4));
  c.origin.source = "komposer.yaml";
  d.crds.push_back(std::move(c));
  d.root = Node::makeMap();
  CHECK(printDocument(d) ==
        "# Komposer platform (komposer.yaml)\n"
        "kind: Komposer\n"
        "metadata:\n"
        "  name: platform\n"
        "registryImports:\n"
        "  - url: ghcr.io/acme/pg\n"
        "    version: v14\n"
        "    oci: true\n"
        "fileImports:\n"
        "  - path: ./katalogs/billing.yaml\n"
        "crds:\n"
        "  - name: postgres\n"
        "    enabled: false\n"
        "    typed: false\n"
        "    dependsOn:\n"
        "      - name: redis\n"
        "        condition: healthy\n"
        "    origin: komposer.yaml\n"
        "    body:\n"
        "      workers: 4\n"
        "body: {}\n");
}

TEST_CASE("printModule: documents (entries marked), CRD files, CRs and the load order") {
  Module m;
  auto k = std::make_unique<Document>();
  k->kind = DocKind::Katalog;
  k->path = "katalog.yaml";
  k->metadata.name = {"webapp", {}};
  k->root = Node::makeMap();
  m.loadOrder.push_back(k.get());
  m.documents.push_back(std::move(k));
  m.entryDocuments.push_back(0);
  auto crd = std::make_unique<CrdFile>();
  crd->path = "crd.yaml";
  crd->group = "acme.io";
  crd->kind = "WebApp";
  crd->plural = "webapps";
  crd->singular = "webapp";
  crd->scope = "Namespaced";
  crd->storageVersion = "v1";
  crd->servedVersions = {"v1"};
  crd->schemas.emplace_back("v1", Node::makeMap());
  m.crdFiles.push_back(std::move(crd));
  auto cr = std::make_unique<CrDocument>();
  cr->path = "cr.yaml";
  cr->apiVersion = "acme.io/v1";
  cr->kind = "WebApp";
  cr->name = "web";
  cr->namespace_ = "shop";
  m.crs.push_back(std::move(cr));
  CHECK(printModule(m) ==
        "---\n"
        "# entry document\n"
        "# Katalog webapp (katalog.yaml)\n"
        "kind: Katalog\n"
        "metadata:\n"
        "  name: webapp\n"
        "body: {}\n"
        "---\n"
        "# CustomResourceDefinition webapps.acme.io (crd.yaml)\n"
        "kind: CustomResourceDefinition\n"
        "group: acme.io\n"
        "names.kind: WebApp\n"
        "names.plural: webapps\n"
        "names.singular: webapp\n"
        "scope: Namespaced\n"
        "storageVersion: v1\n"
        "servedVersions:\n"
        "  - v1\n"
        "hasStatusSubresource: false\n"
        "schemas:\n"
        "  - v1\n"
        "---\n"
        "# CR WebApp web (cr.yaml)\n"
        "apiVersion: acme.io/v1\n"
        "kind: WebApp\n"
        "name: web\n"
        "namespace: shop\n"
        "---\n"
        "# module\n"
        "loadOrder:\n"
        "  - Katalog webapp (katalog.yaml)\n");
  CHECK(printModule(m) == printModule(m));  // deterministic
}

TEST_CASE("nodeToJson: document order or sorted keys, escapes, numbers") {
  auto root = Node::makeMap();
  root->set("b", Node::makeInt(1));
  root->set("a", str("x\"y\\z\n\t\x01"));
  std::vector<NodePtr> items;
  items.push_back(flt(1.5));
  items.push_back(flt(2.0));
  items.push_back(flt(std::nan("")));
  items.push_back(Node::makeBool(true));
  items.push_back(Node::makeNull());
  items.push_back(str("caf\xc3\xa9/"));
  root->set("list", list(std::move(items)));
  root->set("empty", Node::makeMap());
  CHECK(nodeToJson(*root) ==
        "{\"b\":1,\"a\":\"x\\\"y\\\\z\\n\\t\\u0001\",\"list\":[1.5,2.0,null,true,null,\"caf\xc3\xa9/\"],\"empty\":{}}");
  CHECK(nodeToJson(*root, true) ==
        "{\"a\":\"x\\\"y\\\\z\\n\\t\\u0001\",\"b\":1,\"empty\":{},\"list\":[1.5,2.0,null,true,null,\"caf\xc3\xa9/\"]}");
  CHECK(nodeToJson(*str("5432")) == "\"5432\"");
  CHECK(nodeToJson(*Node::makeList()) == "[]");
}
