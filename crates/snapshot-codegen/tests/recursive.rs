//! Recursive shapes (`fixtures/codegen/recursive.json`): smithy-rs boxes one member of every
//! loop of structure and union members (`Option<Box<Expression>>`), never a loop through a list
//! or map. The harness passes such members through `Into`, which builds both `T` and `Box<T>`;
//! before, `aws-sdk-freetier`'s `Expression.Not` and `aws-sdk-lexruntimev2`'s
//! `ElicitSubSlot.SubSlotToElicit` failed to compile.

mod support;

fn search_file() -> String {
    support::generated_operation_file(
        "recursive.json",
        "Search",
        "example-filters",
        "src/operations/search.rs",
    )
    .chars()
    .filter(|c| !c.is_whitespace())
    .collect()
}

#[test]
fn a_member_that_closes_a_loop_goes_through_into() {
    let code = search_file();
    assert!(
        code.contains(".set_not(::std::option::Option::Some(::std::convert::Into::into("),
        "Expression.Not holds an Expression directly: {code}"
    );
    assert!(
        code.contains(".set_inner(::std::option::Option::Some(::std::convert::Into::into("),
        "SubSlot.Inner loops back to Slot: {code}"
    );
    assert!(
        code.contains("::Nested(::std::convert::Into::into("),
        "Slot.Nested loops back to Slot through SubSlot: {code}"
    );
}

#[test]
fn members_outside_a_direct_loop_are_passed_as_they_are() {
    let code = search_file();
    assert!(
        code.contains(".set_or(::std::option::Option::Some(::std::vec!["),
        "a loop through a list needs no box: {code}"
    );
    assert!(
        code.contains(".set_filter(::std::option::Option::Some(::example_filters::types::Expression::builder()"),
        "the input's own member starts no loop: {code}"
    );
}
