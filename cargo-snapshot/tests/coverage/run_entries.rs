//! The request-side checks and response-variant verdicts of the coverage fixture's run
//! report, with known counts (a lost, a changed and a failed request check, an unexpected
//! response variant).

use snapshot_runner::report::{
    ChangedOnWire, ExceptedMember, ExceptionKind, Expect, Got, InputVariant, Malformation,
    RequestCheckResult, ResponseVariant, VariantName, VariantResult,
};

/// The request-side checks of the fixture run: 4 cases, 21 values on the wire; CreateCity's
/// min lost `tags` and excused its token, its edge changed `size`, PutAlert's edge could not
/// be read back.
pub fn request_checks() -> Vec<RequestCheckResult> {
    let check = |operation: &str, variant, matched| RequestCheckResult {
        operation: operation.to_owned(),
        variant,
        matched,
        lost: Vec::new(),
        changed: Vec::new(),
        excepted: Vec::new(),
        failure: None,
    };
    let excepted = |path: &str, kind| ExceptedMember {
        path: path.to_owned(),
        kind,
    };
    let mut min = check("CreateCity", InputVariant::Min, 3);
    min.lost.push("CreateCityInput.tags".to_owned());
    min.excepted.push(excepted(
        "CreateCityInput.clientToken",
        ExceptionKind::IdempotencyToken,
    ));
    let mut edge = check("CreateCity", InputVariant::Edge, 8);
    edge.changed.push(ChangedOnWire {
        path: "CreateCityInput.size".to_owned(),
        sent: "-1".to_owned(),
        on_wire: "0".to_owned(),
    });
    edge.excepted.extend([
        excepted(
            "CreateCityInput.clientToken",
            ExceptionKind::IdempotencyToken,
        ),
        excepted("CreateCityInput.zone", ExceptionKind::DefaultValue),
    ]);
    let max = check("CreateCity", InputVariant::Max, 10);
    let failed = RequestCheckResult::failed(
        "PutAlert",
        InputVariant::Edge,
        "no binding reads the body".to_owned(),
    );
    vec![min, max, edge, failed]
}

/// The response variants of the fixture run: 3 replayed, GetCity's truncated body gave an
/// output where a rejection was expected.
pub fn response_variants() -> Vec<VariantResult> {
    let result = |operation: &str, variant, base, expected, got| VariantResult {
        operation: operation.to_owned(),
        variant,
        targets: Vec::new(),
        base,
        expected,
        got,
    };
    let output = Got::Output {
        equal: 4,
        findings: 0,
    };
    vec![
        result(
            "GetCity",
            ResponseVariant::UnknownMembers,
            VariantName::Max,
            Expect::Output,
            output.clone(),
        ),
        result(
            "GetCity",
            ResponseVariant::Malformed(Malformation::Truncated),
            VariantName::Max,
            Expect::Rejected,
            output,
        ),
        result(
            "ListCities",
            ResponseVariant::Malformed(Malformation::WrongType),
            VariantName::Max,
            Expect::Rejected,
            Got::ServiceError {
                code: None,
                cause: None,
            },
        ),
    ]
}
