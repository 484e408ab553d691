package ghspec

import (
	"fmt"
	"slices"
)

// divergences corrects where GitHub's description and GitHub disagree,
// each with why. The list stays short: a divergence is added only on
// GitHub's own word.
//
//   - repos/update-branch-protection: the description requires
//     required_status_checks.contexts (deprecated) beside checks; GitHub
//     refuses a request that gives both ("Only 1 of 'contexts' or 'checks'
//     can be provided", which is why go-github omits an unset contexts).
//     Exactly one of the two is required: see [oneOfContextsOrChecks].
func (s *Spec) divergences() {
	for _, o := range s.ops {
		if o.ID != "repos/update-branch-protection" {
			continue
		}
		rb, _ := s.deref(o.op["requestBody"]).(map[string]any)
		body := jsonSchema(s, rb)
		props, _ := body["properties"].(map[string]any)
		rsc, _ := props["required_status_checks"].(map[string]any)
		if req, ok := rsc["required"].([]any); ok {
			rsc["required"] = slices.DeleteFunc(slices.Clone(req), func(v any) bool { return v == "contexts" })
		}
		o.extra = oneOfContextsOrChecks
	}
}

// oneOfContextsOrChecks is GitHub's rule for required_status_checks:
// contexts or checks, exactly one.
func oneOfContextsOrChecks(body any) []string {
	b, _ := body.(map[string]any)
	rsc, ok := b["required_status_checks"].(map[string]any)
	if !ok {
		return nil
	}
	_, contexts := rsc["contexts"]
	_, checks := rsc["checks"]
	if contexts == checks {
		return []string{fmt.Sprintf("body.required_status_checks gives %s of contexts and checks: GitHub takes exactly one", map[bool]string{true: "both", false: "neither"}[contexts])}
	}
	return nil
}
