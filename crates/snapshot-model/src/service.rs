//! A service's closure: its operations (direct and through resources), their errors, the
//! renames that apply inside it, and the protocol smithy-rs generates for it.

use std::collections::BTreeSet;

use crate::shape::{Operation, Service, Shape, ShapeKind};
use crate::traits::{ids, AuthScheme, AwsService};
use crate::{Model, ModelError, Protocol, ShapeId};

/// An operation of a service, borrowed from the model.
#[derive(Debug, Clone, Copy)]
pub struct OperationRef<'m> {
    /// The operation shape.
    pub shape: &'m Shape,
    /// Its input, output and errors.
    pub operation: &'m Operation,
}

impl<'m> OperationRef<'m> {
    /// The operation id.
    pub fn id(&self) -> &'m ShapeId {
        &self.shape.id
    }

    /// The operation name (`AssumeRole`).
    pub fn name(&self) -> &'m str {
        self.shape.id.name()
    }
}

/// One service of a model with everything needed to snapshot it.
#[derive(Debug, Clone)]
pub struct ServiceIndex<'m> {
    model: &'m Model,
    shape: &'m Shape,
    service: &'m Service,
    protocol: Protocol,
    operations: Vec<OperationRef<'m>>,
}

impl Model {
    /// The service to snapshot: `requested` (an absolute id or a shape name) when given,
    /// otherwise the model's only service.
    pub fn service_index(&self, requested: Option<&str>) -> Result<ServiceIndex<'_>, ModelError> {
        let services = self.services();
        let listed = || {
            services
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let id = match requested {
            Some(requested) => services
                .iter()
                .find(|id| id.as_str() == requested || id.name() == requested)
                .copied()
                .ok_or_else(|| ModelError::UnknownService {
                    path: self.path().to_owned(),
                    requested: requested.to_owned(),
                    available: if services.is_empty() {
                        "no service".to_owned()
                    } else {
                        listed()
                    },
                })?,
            None => match services.as_slice() {
                [] => {
                    return Err(ModelError::NoService {
                        path: self.path().to_owned(),
                    })
                }
                [only] => *only,
                _ => {
                    return Err(ModelError::AmbiguousService {
                        path: self.path().to_owned(),
                        services: listed(),
                    })
                }
            },
        };
        ServiceIndex::new(self, id)
    }
}

impl<'m> ServiceIndex<'m> {
    fn new(model: &'m Model, id: &ShapeId) -> Result<Self, ModelError> {
        let shape = model.shape(id).ok_or_else(|| ModelError::UnknownService {
            path: model.path().to_owned(),
            requested: id.to_string(),
            available: "no such shape".to_owned(),
        })?;
        let ShapeKind::Service(service) = &shape.kind else {
            return Err(ModelError::UnknownService {
                path: model.path().to_owned(),
                requested: id.to_string(),
                available: format!("a {} shape by that name", shape.kind.type_name()),
            });
        };
        let protocol = Protocol::select(&shape.traits).ok_or_else(|| {
            let mut candidates = Protocol::unsupported_candidates(&shape.traits);
            // A trait the model itself defines with `@protocolDefinition` is a protocol too,
            // whatever its namespace.
            for (trait_id, _) in shape.traits.iter() {
                let defined_as_protocol = trait_id
                    .parse::<ShapeId>()
                    .ok()
                    .and_then(|id| model.shape(&id))
                    .is_some_and(|definition| definition.traits.has(ids::PROTOCOL_DEFINITION));
                if defined_as_protocol && !candidates.iter().any(|known| known == trait_id) {
                    candidates.push(trait_id.to_owned());
                }
            }
            ModelError::NoSupportedProtocol {
                path: model.path().to_owned(),
                service: id.to_string(),
                found: if candidates.is_empty() {
                    "none".to_owned()
                } else {
                    candidates.join(", ")
                },
            }
        })?;
        let mut operation_ids = BTreeSet::new();
        let mut seen_resources = BTreeSet::new();
        operation_ids.extend(service.operations.iter().cloned());
        let mut resources: Vec<ShapeId> = service.resources.clone();
        while let Some(resource_id) = resources.pop() {
            if !seen_resources.insert(resource_id.clone()) {
                continue;
            }
            if let Some(Shape {
                kind: ShapeKind::Resource(resource),
                ..
            }) = model.shape(&resource_id)
            {
                operation_ids.extend(
                    resource
                        .lifecycle
                        .iter()
                        .chain(&resource.operations)
                        .chain(&resource.collection_operations)
                        .cloned(),
                );
                resources.extend(resource.resources.iter().cloned());
            }
        }
        let mut operations: Vec<OperationRef<'m>> = operation_ids
            .iter()
            .filter_map(|op_id| match model.shape(op_id) {
                Some(
                    shape @ Shape {
                        kind: ShapeKind::Operation(operation),
                        ..
                    },
                ) => Some(OperationRef { shape, operation }),
                _ => None,
            })
            .collect();
        operations.sort_by(|a, b| a.name().cmp(b.name()).then_with(|| a.id().cmp(b.id())));
        Ok(ServiceIndex {
            model,
            shape,
            service,
            protocol,
            operations,
        })
    }

    /// The model this index borrows from.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The service shape id.
    pub fn id(&self) -> &'m ShapeId {
        &self.shape.id
    }

    /// The service shape.
    pub fn shape(&self) -> &'m Shape {
        self.shape
    }

    /// The protocol smithy-rs generates for this service.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// Whether the service also speaks awsQuery error codes (`@awsQueryCompatible`).
    pub fn is_query_compatible(&self) -> bool {
        self.shape.traits.is_aws_query_compatible()
    }

    /// `@aws.api#service`, when present.
    pub fn aws_service(&self) -> Option<AwsService> {
        self.shape.traits.aws_service()
    }

    /// Authentication schemes the service defines.
    pub fn auth_schemes(&self) -> Vec<AuthScheme> {
        self.shape.traits.auth_schemes()
    }

    /// Every operation of the service (direct and through resources), sorted by name.
    pub fn operations(&self) -> &[OperationRef<'m>] {
        &self.operations
    }

    /// An operation by name or absolute id.
    pub fn operation(&self, name: &str) -> Option<OperationRef<'m>> {
        self.operations
            .iter()
            .find(|op| op.name() == name || op.id().as_str() == name)
            .copied()
    }

    /// Errors the service declares for all operations.
    pub fn service_errors(&self) -> &'m [ShapeId] {
        &self.service.errors
    }

    /// Errors an operation can return: its own, then the service's, without repeats.
    pub fn operation_errors(&self, operation: &OperationRef<'_>) -> Vec<ShapeId> {
        let mut errors: Vec<ShapeId> = Vec::new();
        for error in operation
            .operation
            .errors
            .iter()
            .chain(&self.service.errors)
        {
            if !errors.contains(error) {
                errors.push(error.clone());
            }
        }
        errors
    }

    /// Every distinct error shape of the service, sorted by name.
    pub fn error_shapes(&self) -> Vec<ShapeId> {
        let mut all: BTreeSet<(String, ShapeId)> = BTreeSet::new();
        for operation in &self.operations {
            for error in self.operation_errors(operation) {
                all.insert((self.name(&error).to_owned(), error));
            }
        }
        all.into_iter().map(|(_, id)| id).collect()
    }

    /// The name a shape has inside this service: its `rename` if any, else its own name.
    pub fn name<'a>(&'a self, id: &'a ShapeId) -> &'a str {
        self.service
            .rename
            .get(id)
            .map(String::as_str)
            .unwrap_or_else(|| id.name())
    }

    /// Every shape reachable from the service's operations (inputs, outputs, errors and
    /// everything their members target), sorted by id.
    pub fn closure(&self) -> BTreeSet<ShapeId> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<ShapeId> = Vec::new();
        for operation in &self.operations {
            stack.push(operation.operation.input.clone());
            stack.push(operation.operation.output.clone());
            stack.extend(self.operation_errors(operation));
        }
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(shape) = self.model.shape(&id) {
                stack.extend(shape.kind.members().into_iter().map(|m| m.target.clone()));
            }
        }
        seen
    }
}
