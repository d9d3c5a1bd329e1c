//! Model ↔ crate drift on a real crate: aws-sdk-sts 1.124.0 against its model with members,
//! an error and an operation added (a model newer than the crate, made from the corpus model
//! at test time). The run drops what the crate cannot hold, naming it in the snapshots and
//! the report, instead of excluding operations after compile errors; what the crate has and
//! the model lacks is reported as never exercised.

use serde_json::{json, Value};

use crate::support::{expect_exit, models_dir, serial, ServiceSpec, TestWorkspace, SNAPSHOT_DIR};

const STS: &str = "com.amazonaws.sts";

/// sts.json with `GetCallerIdentity` gaining an input member, an output member and an error,
/// and the service gaining an operation: none of which aws-sdk-sts 1.124.0 has.
fn newer_sts_model() -> Value {
    let text = std::fs::read_to_string(models_dir().join("sts.json")).unwrap();
    let mut model: Value = serde_json::from_str(&text).unwrap();
    let shapes = model["shapes"].as_object_mut().unwrap();
    let string = json!({ "target": "smithy.api#String" });
    shapes[&format!("{STS}#GetCallerIdentityRequest")]["members"]["Note"] = string.clone();
    shapes[&format!("{STS}#GetCallerIdentityResponse")]["members"]["Region"] = string.clone();
    shapes[&format!("{STS}#GetCallerIdentity")]["errors"] =
        json!([{ "target": format!("{STS}#NewThingException") }]);
    shapes.insert(
        format!("{STS}#NewThingException"),
        json!({
            "type": "structure",
            "members": { "message": string },
            "traits": { "smithy.api#error": "client" }
        }),
    );
    shapes.insert(
        format!("{STS}#GetNewThing"),
        json!({
            "type": "operation",
            "input": { "target": "smithy.api#Unit" },
            "output": { "target": "smithy.api#Unit" }
        }),
    );
    let service = format!("{STS}#AWSSecurityTokenServiceV20110615");
    shapes[&service]["operations"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "target": format!("{STS}#GetNewThing") }));
    model
}

#[test]
fn a_model_newer_than_its_crate_costs_members_not_operations() {
    let _serial = serial();
    let workspace = TestWorkspace::new(&[]);
    let model = workspace.root().join("sts-newer.json");
    std::fs::write(&model, newer_sts_model().to_string()).unwrap();
    let spec = ServiceSpec::new(model.display().to_string(), "aws-sdk-sts", "=1.124.0");
    workspace.configure(SNAPSHOT_DIR, &[spec]);

    let (stdout, _) = expect_exit(&workspace.run(&["write"]), 0, "write");
    for expected in [
        // Every operation the crate has is snapshotted; the added one is excluded up front.
        "sts (aws-sdk-sts, awsQuery): 11/12 requests (+7 min, +9 edge), 11/12 responses",
        "excluded operation GetNewThing (codegen): aws-sdk-sts has no module `operation::get_new_thing`",
        "excluded error NewThingException (codegen)",
        "dropped member GetCallerIdentityRequest.Note (request): the crate's `operation::get_caller_identity::GetCallerIdentityInput` has no field `note`",
        "dropped member GetCallerIdentityResponse.Region (response)",
        "never exercised (in the crate, not in the model): 18 member(s)",
    ] {
        assert!(stdout.contains(expected), "`{expected}` in:\n{stdout}");
    }
    assert!(
        !stdout.contains("(compile)"),
        "nothing fails to compile:\n{stdout}"
    );
    // The dropped output member is neither read nor expected, so the round trip loses nothing.
    assert!(!stdout.contains("lost member"), "{stdout}");

    let request =
        std::fs::read_to_string(workspace.snap("aws-sdk-sts", "requests", "GetCallerIdentity"))
            .unwrap();
    assert!(
        request.contains("[DROPPED MEMBERS: in the model, not in aws-sdk-sts; not sent]\nGetCallerIdentityRequest.Note: "),
        "{request}"
    );
    let response =
        std::fs::read_to_string(workspace.snap("aws-sdk-sts", "responses", "GetCallerIdentity"))
            .unwrap();
    assert!(
        response.contains("GetCallerIdentityResponse.Region: "),
        "{response}"
    );
    assert!(
        !response.contains("<Region>"),
        "a dropped member is not replayed:\n{response}"
    );
    assert!(
        response.contains("[round trip: 3 values came back equal]"),
        "the round trip covers the members the crate holds:\n{response}"
    );

    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.root().join("target/cargo-snapshot/last-run.json"))
            .unwrap(),
    )
    .unwrap();
    let drift = &report["services"][0]["drift"];
    let dropped: Vec<&str> = drift["dropped_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|member| member["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        dropped,
        [
            "GetCallerIdentityRequest.Note",
            "GetCallerIdentityResponse.Region"
        ]
    );
    let unexercised: Vec<String> = drift["unexercised_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|member| {
            format!(
                "{}.{}",
                member["rust_type"].as_str().unwrap(),
                member["field"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        unexercised.contains(
            &"operation::get_session_token::GetSessionTokenOutput.session_token_size".to_owned()
        ),
        "{unexercised:?}"
    );
}
