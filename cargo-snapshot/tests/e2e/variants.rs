//! Response variants on real clients, one of each protocol of the core set (issue 9's
//! acceptance): a response whose every structure carries a member the model does not have,
//! and an unknown header, is read by the client as the plain max response (forward
//! compatibility), and the snapshot says so in one line; a body the client must reject is
//! rejected, never parsed into an output.

use snapshot_runner::report::{
    Expect, Got, Malformation, ResponseVariant, RunReport, VariantResult,
};

use crate::support::{expect_exit, ServiceSpec, TestWorkspace};

/// (service spec, protocol, an operation with body members in its output).
fn services() -> Vec<(ServiceSpec, &'static str, &'static str)> {
    vec![
        (ServiceSpec::sts(), "awsQuery", "AssumeRole"),
        (
            ServiceSpec::new("sqs.json", "aws-sdk-sqs", "=1.119.0"),
            "awsJson1_0",
            "ListQueues",
        ),
        (ServiceSpec::sso(), "restJson1", "GetRoleCredentials"),
        (
            ServiceSpec::new("route-53.json", "aws-sdk-route53", "=1.132.0"),
            "restXml",
            "GetHostedZone",
        ),
        (
            ServiceSpec::new(
                "arc-region-switch.json",
                "aws-sdk-arcregionswitch",
                "=1.48.0",
            ),
            "rpcv2Cbor",
            "GetPlan",
        ),
    ]
}

fn result<'r>(
    report: &'r RunReport,
    crate_name: &str,
    operation: &str,
    variant: ResponseVariant,
) -> &'r VariantResult {
    let service = report
        .services
        .iter()
        .find(|service| service.crate_name == crate_name)
        .unwrap_or_else(|| panic!("no report of {crate_name}"));
    service
        .response_variants
        .iter()
        .find(|result| result.operation == operation && result.variant == variant)
        .unwrap_or_else(|| {
            panic!(
                "{crate_name} {operation}: {} was not replayed: {:?}",
                variant.name(),
                service.response_variants
            )
        })
}

#[test]
fn unknown_members_are_ignored_by_the_client_of_every_protocol_and_shown_as_such() {
    let _serial = crate::support::serial();
    let services = services();
    let specs: Vec<ServiceSpec> = services.iter().map(|(spec, ..)| spec.clone()).collect();
    let workspace = TestWorkspace::new(&specs);
    let mut args = vec!["write"];
    for (_, _, operation) in &services {
        args.extend(["--operation", operation]);
    }
    let (stdout, _) = expect_exit(&workspace.run(&args), 0, "write one operation per protocol");
    let path = workspace.root().join("target/cargo-snapshot/last-run.json");
    let report = RunReport::load(&path).unwrap_or_else(|error| panic!("{error}"));
    for (spec, protocol, operation) in &services {
        let service = report
            .services
            .iter()
            .find(|service| service.crate_name == spec.crate_name)
            .unwrap();
        assert_eq!(service.protocol, *protocol);
        let unknown = result(
            &report,
            &spec.crate_name,
            operation,
            ResponseVariant::UnknownMembers,
        );
        assert_eq!(unknown.expected, Expect::Output, "{stdout}");
        let Got::Output { equal, findings } = unknown.got else {
            panic!("{protocol}: {unknown:?}\n{stdout}");
        };
        assert!(equal > 0, "{protocol}: {unknown:?}");
        // Whatever differs, differs in max too (the same timestamps), never because of the
        // unknown members.
        let max_findings = service
            .changed_members
            .iter()
            .filter(|changed| changed.subject == *operation && changed.case.to_string() == "max")
            .count()
            + service
                .lost_members
                .iter()
                .filter(|lost| lost.subject == *operation && lost.case.to_string() == "max")
                .count();
        assert_eq!(findings, max_findings, "{protocol}: {unknown:?}\n{stdout}");
        let snapshot =
            std::fs::read_to_string(workspace.snap(&spec.crate_name, "responses", operation))
                .unwrap();
        let section = snapshot
            .split("==== unknown_members ====\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{protocol}: no unknown_members section:\n{snapshot}"));
        assert!(
            section.starts_with("[as expected: the output of max, "),
            "{protocol}:\n{section}"
        );
        let wrong_type = result(
            &report,
            &spec.crate_name,
            operation,
            ResponseVariant::Malformed(Malformation::WrongType),
        );
        assert_eq!(wrong_type.expected, Expect::Rejected);
        assert!(wrong_type.as_expected(), "{protocol}: {wrong_type:?}");
    }
}
