//! The typed trait accessors, read from `fixtures/models/weather.json`: HTTP bindings,
//! serialization names, streaming and events, constraints, endpoints, checksums, compression,
//! auth, errors and the AWS service trait.

mod common;

use common::{load, member, shape};
use snapshot_model::traits::{
    AuthScheme, AwsQueryError, AwsService, Endpoint, ErrorFault, Http, HttpApiKeyAuth,
    HttpChecksum, Length, RequestCompression, Retryable, TimestampFormat, XmlNamespace,
};
use snapshot_model::ShapeId;

const W: &str = "example.weather#";

fn id(name: &str) -> String {
    format!("{W}{name}")
}

#[test]
fn http_operation_trait() {
    let model = load("weather.json");
    assert_eq!(
        shape(&model, &id("PutReport")).traits.http(),
        Some(Http {
            method: "PUT".into(),
            uri: "/cities/{cityId}/reports/{reportKey+}?type=report".into(),
            code: 201,
        })
    );
    // `code` defaults to 200.
    assert_eq!(
        shape(&model, &id("GetCity"))
            .traits
            .http()
            .map(|http| http.code),
        Some(200)
    );
    assert_eq!(
        shape(&model, &id("Ping"))
            .traits
            .http()
            .map(|http| http.code),
        Some(204)
    );
    assert_eq!(shape(&model, &id("CityId")).traits.http(), None);
}

#[test]
fn http_member_bindings() {
    let model = load("weather.json");
    let input = id("PutReportInput");
    let traits = |name: &str| member(&model, &input, name).traits.clone();
    assert!(traits("cityId").is_http_label());
    assert!(traits("reportKey").is_http_label());
    assert_eq!(traits("filter").http_query(), Some("filter"));
    assert!(traits("extra").is_http_query_params());
    assert_eq!(traits("clientToken").http_header(), Some("x-client-token"));
    assert_eq!(traits("metadata").http_prefix_headers(), Some("x-meta-"));
    assert!(traits("report").is_http_payload());
    // Absent bindings answer no.
    assert!(!traits("filter").is_http_label());
    assert_eq!(traits("cityId").http_query(), None);
    assert!(!traits("cityId").is_http_payload());

    let output = id("PutReportOutput");
    assert!(member(&model, &output, "status")
        .traits
        .is_http_response_code());
    assert_eq!(
        member(&model, &output, "etag").traits.http_header(),
        Some("ETag")
    );
    assert!(!member(&model, &output, "etag")
        .traits
        .is_http_response_code());
}

#[test]
fn error_traits() {
    let model = load("weather.json");
    let no_such_city = &shape(&model, &id("NoSuchCity")).traits;
    assert_eq!(no_such_city.error(), Some(ErrorFault::Client));
    assert_eq!(no_such_city.http_error(), Some(404));
    assert_eq!(
        no_such_city.aws_query_error(),
        Some(AwsQueryError {
            code: "NoSuchCity".into(),
            http_response_code: 404,
        })
    );
    assert_eq!(no_such_city.retryable(), None);
    let throttled = &shape(&model, &id("Throttled")).traits;
    assert_eq!(throttled.retryable(), Some(Retryable { throttling: true }));
    let unavailable = &shape(&model, &id("ServiceUnavailable")).traits;
    assert_eq!(unavailable.error(), Some(ErrorFault::Server));
    assert_eq!(unavailable.http_error(), None);
    assert_eq!(
        unavailable.retryable(),
        Some(Retryable { throttling: false })
    );
    assert_eq!(shape(&model, &id("CityId")).traits.error(), None);
}

#[test]
fn serialization_names_and_xml_traits() {
    let model = load("weather.json");
    let report = id("Report");
    let traits = |name: &str| member(&model, &report, name).traits.clone();
    assert_eq!(traits("title").json_name(), Some("Title"));
    assert_eq!(traits("title").xml_name(), Some("TitleText"));
    assert!(traits("lang").is_xml_attribute());
    assert!(traits("tags").is_xml_flattened());
    assert!(!traits("title").is_xml_flattened());
    assert_eq!(
        traits("source").xml_namespace(),
        Some(XmlNamespace {
            uri: "https://example.com/source".into(),
            prefix: Some("src".into()),
        })
    );
    assert_eq!(traits("legacyName").ec2_query_name(), Some("LegacyName"));
    assert_eq!(traits("title").ec2_query_name(), None);
    // Shape-level names and namespaces.
    assert_eq!(
        shape(&model, &report).traits.xml_name(),
        Some("WeatherReport")
    );
    assert_eq!(
        shape(&model, &id("Weather")).traits.xml_namespace(),
        Some(XmlNamespace {
            uri: "https://example.com/weather/2024-01-01/".into(),
            prefix: None,
        })
    );
    // A list member's own traits.
    let tag_list = shape(&model, &id("TagList"));
    assert_eq!(tag_list.kind.members()[0].traits.xml_name(), Some("Tag"));
}

#[test]
fn timestamp_formats_on_members_and_shapes() {
    let model = load("weather.json");
    let issued_at = member(&model, &id("PutReportInput"), "issuedAt");
    assert_eq!(
        issued_at.traits.timestamp_format(),
        Some(TimestampFormat::HttpDate)
    );
    let time = member(&model, &id("GetCurrentTimeOutput"), "time");
    assert_eq!(
        time.traits.timestamp_format(),
        Some(TimestampFormat::DateTime)
    );
    // A format on the target shape reaches the member through `effective_traits`.
    let timestamp = member(&model, &id("AllSimpleTypes"), "timestamp");
    assert_eq!(timestamp.traits.timestamp_format(), None);
    assert_eq!(
        model.effective_traits(timestamp).timestamp_format(),
        Some(TimestampFormat::EpochSeconds)
    );
}

#[test]
fn streaming_media_type_and_event_traits() {
    let model = load("weather.json");
    let photo = shape(&model, &id("PhotoData"));
    assert!(photo.traits.is_streaming());
    assert_eq!(photo.traits.media_type(), Some("image/jpeg"));
    let body = member(&model, &id("UploadPhotoInput"), "body");
    assert!(model.effective_traits(body).is_streaming());
    assert!(
        !body.traits.is_streaming(),
        "the member itself carries no @streaming"
    );
    assert!(shape(&model, &id("ObservationStream"))
        .traits
        .is_streaming());
    assert!(!shape(&model, &id("Precipitation")).traits.is_streaming());

    let observation = id("Observation");
    assert!(member(&model, &observation, "station")
        .traits
        .is_event_header());
    assert!(member(&model, &observation, "takenAt")
        .traits
        .is_event_header());
    assert!(member(&model, &observation, "reading")
        .traits
        .is_event_payload());
    assert!(!member(&model, &observation, "reading")
        .traits
        .is_event_header());
}

#[test]
fn member_flags_required_default_sparse_token_sensitive() {
    let model = load("weather.json");
    assert!(member(&model, &id("CreateCityInput"), "name")
        .traits
        .is_required());
    assert!(!member(&model, &id("CreateCityInput"), "coordinates")
        .traits
        .is_required());
    assert!(member(&model, &id("CreateCityInput"), "clientToken")
        .traits
        .is_idempotency_token());
    assert!(!member(&model, &id("CreateCityInput"), "name")
        .traits
        .is_idempotency_token());
    assert_eq!(
        member(&model, &id("Identified"), "version")
            .traits
            .default_value(),
        Some(&serde_json::json!(0))
    );
    assert_eq!(
        shape(&model, &id("BooleanValue")).traits.default_value(),
        Some(&serde_json::json!(false))
    );
    assert!(shape(&model, &id("SparseReadings")).traits.is_sparse());
    assert!(!shape(&model, &id("TagList")).traits.is_sparse());
    assert!(shape(&model, &id("Secret")).traits.is_sensitive());
    assert!(shape(&model, &id("CityCoordinates")).traits.is_sensitive());
    let secret = member(&model, &id("Report"), "secret");
    assert!(model.effective_traits(secret).is_sensitive());
}

#[test]
fn length_and_range_constraints() {
    let model = load("weather.json");
    assert_eq!(
        shape(&model, &id("CityId")).traits.length(),
        Some(Length {
            min: Some(1),
            max: Some(64),
        })
    );
    assert_eq!(
        shape(&model, &id("AlertId")).traits.length(),
        Some(Length {
            min: Some(1),
            max: None
        })
    );
    let population = shape(&model, &id("Population")).traits.range().unwrap();
    assert_eq!(population.min.and_then(|n| n.as_u64()), Some(0));
    assert_eq!(
        population.max.and_then(|n| n.as_u64()),
        Some(10_000_000_000)
    );
    let page_size = member(&model, &id("ListCitiesInput"), "pageSize")
        .traits
        .range()
        .unwrap();
    assert_eq!(
        (
            page_size.min.unwrap().as_u64(),
            page_size.max.unwrap().as_u64()
        ),
        (Some(1), Some(50))
    );
}

#[test]
fn endpoint_and_host_label() {
    let model = load("weather.json");
    assert_eq!(
        shape(&model, &id("GetForecast")).traits.endpoint(),
        Some(Endpoint {
            host_prefix: "{cityId}.data.".into(),
        })
    );
    assert!(member(&model, &id("GetForecastInput"), "cityId")
        .traits
        .is_host_label());
    assert!(!member(&model, &id("GetCityInput"), "cityId")
        .traits
        .is_host_label());
    assert_eq!(shape(&model, &id("GetCity")).traits.endpoint(), None);
}

#[test]
fn checksum_compression_and_payload_signing() {
    let model = load("weather.json");
    let put = &shape(&model, &id("PutReport")).traits;
    assert_eq!(
        put.http_checksum(),
        Some(HttpChecksum {
            request_algorithm_member: Some("ChecksumAlgorithm".into()),
            request_checksum_required: true,
            request_validation_mode_member: Some("ValidationMode".into()),
            response_algorithms: vec!["CRC32".into(), "CRC64NVME".into()],
        })
    );
    assert!(put.is_http_checksum_required());
    assert_eq!(
        put.request_compression(),
        Some(RequestCompression {
            encodings: vec!["gzip".into()],
        })
    );
    assert!(put.is_unsigned_payload());
    let get = &shape(&model, &id("GetCity")).traits;
    assert_eq!(get.http_checksum(), None);
    assert_eq!(get.request_compression(), None);
    assert!(!get.is_unsigned_payload());
}

#[test]
fn service_identity_and_auth() {
    let model = load("weather.json");
    let service = &shape(&model, &id("Weather")).traits;
    assert_eq!(
        service.aws_service(),
        Some(AwsService {
            sdk_id: "Weather".into(),
            arn_namespace: Some("weather".into()),
            endpoint_prefix: Some("weather".into()),
            cloud_formation_name: Some("Weather".into()),
        })
    );
    assert_eq!(
        service.auth_schemes(),
        [
            AuthScheme::Sigv4 {
                name: "weather".into()
            },
            AuthScheme::HttpBearer,
            AuthScheme::HttpApiKey(HttpApiKeyAuth {
                name: "x-api-key".into(),
                location: "header".into(),
                scheme: None,
            }),
        ]
    );
    let auth: Vec<String> = service
        .auth()
        .unwrap()
        .iter()
        .map(ShapeId::to_string)
        .collect();
    assert_eq!(auth, ["aws.auth#sigv4", "smithy.api#httpBearerAuth"]);
    assert_eq!(
        AuthScheme::HttpBearer.trait_id(),
        "smithy.api#httpBearerAuth"
    );
    assert!(service.is_aws_query_compatible());
    // An operation that opts out of auth.
    let ping = &shape(&model, &id("Ping")).traits;
    assert_eq!(ping.auth(), Some(Vec::new()));
    assert!(ping.is_optional_auth());
    assert_eq!(shape(&model, &id("GetCity")).traits.auth(), None);
}

#[test]
fn malformed_known_traits_are_rejected_with_the_shape_named() {
    let cases = [
        (r#""smithy.api#http": {"method": "GET"}"#, "smithy.api#http"),
        (r#""smithy.api#httpHeader": 5"#, "smithy.api#httpHeader"),
        (
            r#""smithy.api#timestampFormat": "iso""#,
            "smithy.api#timestampFormat",
        ),
        (r#""smithy.api#error": "nobody""#, "smithy.api#error"),
        (r#""smithy.api#httpError": "404""#, "smithy.api#httpError"),
        (r#""smithy.api#length": {"min": -1}"#, "smithy.api#length"),
        (r#""smithy.api#enumValue": true"#, "smithy.api#enumValue"),
        (r#""aws.auth#sigv4": {}"#, "aws.auth#sigv4"),
        (r#""smithy.api#auth": ["not an id"]"#, "smithy.api#auth"),
    ];
    for (trait_json, trait_id) in cases {
        let json = format!(
            r#"{{"smithy": "2.0", "shapes": {{"example.a#Thing": {{"type": "string", "traits": {{{trait_json}}}}}}}}}"#
        );
        let error = common::parse(&json).unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("inline.json: shape `example.a#Thing`: trait `")
                && message.contains(trait_id),
            "{trait_json}: {message}"
        );
    }
}
