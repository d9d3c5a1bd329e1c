//! The request-side check of a request section (SPEC §7a): the captured request read back by
//! the operation's bindings and compared with the input sent (`snapshot_wire::check_request`).
//! Every member on the wire as set is one line with the count; otherwise the lost and changed
//! members follow, and the excused ones, by kind, on a line each.

use snapshot_records::{CaseRecord, InputVariant, MOCK_ENDPOINT_PATH};
use snapshot_render::counted;
use snapshot_values::Value;
use snapshot_wire::{check_request, ExceptionKind, RequestSite};

use crate::plan::{PlannedOperation, ServicePlan};
use crate::report::RequestCheckResult;

/// The check of `record`, the request case of `variant`; `None` when the client sent no
/// request (an input it refused) or the plan has no such input.
pub(super) fn check(
    plan: &ServicePlan<'_>,
    planned: &PlannedOperation<'_>,
    variant: InputVariant,
    record: &CaseRecord,
) -> Option<RequestCheckResult> {
    let request = record.request.as_ref()?;
    let input = input_of(planned, variant)?;
    let site = RequestSite {
        endpoint_path: if record.endpoint_override {
            MOCK_ENDPOINT_PATH
        } else {
            ""
        },
    };
    let name = planned.name();
    Some(
        match check_request(&plan.index, planned.operation, input, request, &site) {
            Ok(check) => RequestCheckResult::new(name, variant, &check),
            Err(error) => RequestCheckResult::failed(name, variant, error.to_string()),
        },
    )
}

fn input_of<'p>(planned: &'p PlannedOperation<'_>, variant: InputVariant) -> Option<&'p Value> {
    if variant == InputVariant::Max {
        return Some(&planned.input);
    }
    planned
        .variants
        .iter()
        .find(|(mode, _)| crate::plan::input_variant(*mode) == variant)
        .map(|(_, value)| value)
}

/// The check's lines at the end of a request section.
pub(super) fn render(result: &RequestCheckResult) -> String {
    if let Some(failure) = &result.failure {
        return format!("[REQUEST CHECK FAILED: {failure}]");
    }
    let mut lines = Vec::new();
    let excepted = match result.excepted.len() {
        0 => String::new(),
        count => format!(", {count} excepted"),
    };
    if result.has_problems() {
        lines.push(format!(
            "[REQUEST CHECK: {} lost, {} changed, {} on the wire{excepted}]",
            result.lost.len(),
            result.changed.len(),
            result.matched
        ));
    } else {
        lines.push(format!(
            "[request check: {} on the wire{excepted}]",
            counted(result.matched, "value")
        ));
    }
    lines.extend(result.lost.iter().map(|path| format!("lost: {path}")));
    for changed in &result.changed {
        lines.push(format!("changed: {}", changed.path));
        lines.push(format!("  sent:    {}", changed.sent));
        lines.push(format!("  on wire: {}", changed.on_wire));
    }
    for kind in ExceptionKind::ALL {
        let paths: Vec<&str> = result
            .excepted
            .iter()
            .filter(|excepted| excepted.kind == kind)
            .map(|excepted| excepted.path.as_str())
            .collect();
        if !paths.is_empty() {
            lines.push(format!("excepted ({}): {}", kind.name(), paths.join(", ")));
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ChangedOnWire, ExceptedMember};

    fn result() -> RequestCheckResult {
        RequestCheckResult {
            operation: "PutThing".into(),
            variant: InputVariant::Max,
            matched: 12,
            lost: Vec::new(),
            changed: Vec::new(),
            excepted: Vec::new(),
            failure: None,
        }
    }

    #[test]
    fn every_member_on_the_wire_is_one_line() {
        assert_eq!(render(&result()), "[request check: 12 values on the wire]");
    }

    #[test]
    fn lost_changed_and_excepted_members_are_named() {
        let mut check = result();
        check.lost.push("PutThingInput.Name".into());
        check.changed.push(ChangedOnWire {
            path: "PutThingInput.Size".into(),
            sent: "1".into(),
            on_wire: "2".into(),
        });
        for path in ["PutThingInput.Token", "PutThingInput.Other"] {
            check.excepted.push(ExceptedMember {
                path: path.into(),
                kind: ExceptionKind::IdempotencyToken,
            });
        }
        assert_eq!(
            render(&check),
            "[REQUEST CHECK: 1 lost, 1 changed, 12 on the wire, 2 excepted]\n\
             lost: PutThingInput.Name\n\
             changed: PutThingInput.Size\n  sent:    1\n  on wire: 2\n\
             excepted (idempotency_token): PutThingInput.Token, PutThingInput.Other"
        );
        let mut excepted_only = result();
        excepted_only.excepted.push(ExceptedMember {
            path: "PutThingInput.Token".into(),
            kind: ExceptionKind::IdempotencyToken,
        });
        assert!(!excepted_only.has_problems());
        assert_eq!(
            render(&excepted_only),
            "[request check: 12 values on the wire, 1 excepted]\n\
             excepted (idempotency_token): PutThingInput.Token"
        );
    }
}
