package schemas

import (
	"errors"
	"strings"
	"testing"
)

// TestLoad_BrokenProfiles: each broken file gives its exact one-line error,
// positioned at file:line:col.
func TestLoad_BrokenProfiles(t *testing.T) {
	type testCase struct {
		name, src, want string
	}
	run := func(t *testing.T, tc testCase) {
		dir := t.TempDir()
		path := writeProfile(t, dir, "bad.yaml", tc.src)
		_, err := Load(path, testEnv)
		var pe *ProfileError
		if !errors.As(err, &pe) {
			t.Fatalf("err = %v (%T), want *ProfileError", err, err)
		}
		got := strings.ReplaceAll(err.Error(), dir+"/", "")
		if got != tc.want {
			t.Errorf("error:\n got: %s\nwant: %s", got, tc.want)
		}
	}
	for _, tc := range brokenProfiles {
		t.Run(tc.name, func(t *testing.T) { run(t, testCase(tc)) })
	}
}

var brokenProfiles = []struct{ name, src, want string }{
	{"code not a mapping (acceptance)", "extends: erzycall\ncodes:\n  NOT_FOUND: \"four-oh-four\"\n",
		"bad.yaml:3:3: codes: NOT_FOUND must be a mapping like {status: 404}, got \"four-oh-four\""},
	{"status out of range", "extends: erzycall\ncodes:\n  NOT_FOUND: {status: 999}\n",
		"bad.yaml:3:15: codes.NOT_FOUND: status must be an integer 100-599 or a list of them, got 999"},
	{"status list with a string", "extends: erzycall\ncodes:\n  NOT_FOUND:\n    status: [404, gone]\n",
		"bad.yaml:4:5: codes.NOT_FOUND: status must be an integer 100-599 or a list of them, got [404,\"gone\"]"},
	{"unknown top-level key", "extends: erzycall\nbase_ulr: http://x\n",
		"bad.yaml:2:1: unknown key \"base_ulr\" (did you mean \"base_url\"?)"},
	{"unknown nested key", "extends: erzycall\ncodes:\n  NOT_FOUND:\n    stauts: 404\n",
		"bad.yaml:4:5: codes.NOT_FOUND: unknown key \"stauts\" (did you mean \"status\"?)"},
	{"expect names unknown code", "extends: erzycall\nexpect:\n  not_found: RESOURCE_MISSING\n",
		"bad.yaml:3:3: expect.not_found: \"RESOURCE_MISSING\" is not in codes"},
	{"unknown situation", "extends: erzycall\nexpect:\n  not_fuond: NOT_FOUND\n",
		"bad.yaml:3:3: expect: unknown key \"not_fuond\" (did you mean \"not_found\"?)"},
	{"bad pointer", "extends: erzycall\nenvelope:\n  code: error.code\n",
		"bad.yaml:3:3: envelope: code must be a JSON Pointer like /error/code (RFC 6901), got \"error.code\""},
	{"bad rate limit headers", "extends: erzycall\nrate_limit:\n  headers: draft7\n",
		"bad.yaml:3:3: rate_limit: headers must be legacy, ietf or none, got \"draft7\""},
	{"bad max_wait", "extends: erzycall\nrate_limit:\n  burst:\n    max_wait: soon\n",
		"bad.yaml:4:5: rate_limit.burst.max_wait: \"soon\" is not a positive duration like 65s"},
	{"bad operation", "extends: erzycall\nendpoints:\n  list: /v1/contacts\n",
		"bad.yaml:3:3: endpoints: list must be \"METHOD /path\" like \"GET /v1/contacts\", got \"/v1/contacts\""},
	{"item without id", "extends: erzycall\nendpoints:\n  item: /v1/contacts/x\n",
		"bad.yaml:3:3: endpoints.item: must contain {id}"},
	{"invalid sample body", "extends: erzycall\nendpoints:\n  create:\n    body: '{\"name\":'\n",
		"bad.yaml:4:5: endpoints.create.body: is not valid JSON (with {{n}} as a number)"},
	{"unknown built-in", "extends: erzycal\n",
		"bad.yaml:1:1: extends: must name a built-in profile (erzycall, jsonapi, messaging, plain, problem, voiceagent) or a profile file like ./base.yaml"},
	{"missing required", "name: mine\nenvelope:\n  schema: builtin:erzycall\n  code: /code\n  message: /message\ncodes:\n  X: {status: 400}\nauth:\n  header: X-API-Key\n  keys: {valid: k}\n",
		"bad.yaml:1:1: missing required key \"endpoints\""},
	{"message missing under a closed envelope", "name: mine\nenvelope:\n  schema: builtin:erzycall\n  code: /code\ncodes:\n  X: {status: 400}\nauth:\n  header: X-API-Key\n  keys: {valid: k}\nendpoints: {list: GET /x}\n",
		"bad.yaml:2:1: envelope: missing required key \"message\""},
	{"yaml syntax", "extends: erzycall\ncodes:\n  NOT_FOUND: {status: 404\n",
		"bad.yaml:3:14: invalid YAML: could not find flow mapping end token '}'"},
	{"not a mapping", "- a\n- b\n",
		"bad.yaml:1:1: a profile must be a mapping of keys (name, envelope, codes, …)"},
	{"unknown envelope builtin", "extends: erzycall\nenvelope:\n  schema: builtin:nosuch\n",
		"bad.yaml:3:3: envelope.schema: no built-in envelope schema \"nosuch\" (built-ins: erzycall, jsonapi, messaging, plain, problem, voiceagent)"},
	{"missing envelope file", "extends: erzycall\nenvelope:\n  schema: envelope.json\n",
		"bad.yaml:3:3: envelope.schema: cannot read envelope schema envelope.json: no such file or directory"},
	{"envelope does not compile", "extends: erzycall\nenvelope:\n  schema: {type: 12}\n",
		"bad.yaml:3:3: envelope.schema: inline envelope schema does not compile: not a valid JSON Schema: at /type: value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'; at /type: got number, want array"},
	{"remote envelope ref", "extends: erzycall\nenvelope:\n  schema:\n    $ref: https://example.com/envelope.json\n",
		"bad.yaml:3:3: envelope.schema: inline envelope schema does not compile: remote $ref \"https://example.com/envelope.json\" refused: errprobe loads schemas only from local files and builtin: envelopes"},
	{"mismatch code unknown", "extends: erzycall\nidempotency:\n  mismatch_code: NOPE\n",
		"bad.yaml:3:3: idempotency.mismatch_code: \"NOPE\" is not in codes"},
	{"base url after expansion", "extends: erzycall\nbase_url: ${NOPE}x\n",
		"bad.yaml:2:1: base_url: \"x\" (after ${VAR} expansion) is not an http:// or https:// URL"},
	{"authorization without scheme", "extends: problem\nauth:\n  scheme: null\n",
		"bad.yaml:3:3: auth.scheme: header Authorization needs a scheme such as Bearer"},
	{"wrong scalar type", "extends: erzycall\nrate_limit:\n  retry_after: \"yes\"\n",
		"bad.yaml:3:3: rate_limit: retry_after must be true or false, got \"yes\""},
	{"code table as a list", "extends: erzycall\ncodes: [NOT_FOUND]\n",
		"bad.yaml:2:1: codes: must be a mapping of CODE: {status: N}, got [\"NOT_FOUND\"]"},
	{"empty key header", "extends: erzycall\nauth:\n  query_param: ''\n",
		"bad.yaml:3:3: auth: query_param must not be empty"},
	{"JSON file", "{\"extends\": \"erzycall\", \"codes\": {\"NOT_FOUND\": {\"status\": \"404\"}}}",
		"bad.yaml:1:49: codes.NOT_FOUND: status must be an integer 100-599 or a list of them, got \"404\""},
}
