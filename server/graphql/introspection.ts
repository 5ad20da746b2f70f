import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GqlContext } from './resolvers';

/** `__schema` and `__type` asked without credentials: UNAUTHENTICATED (`__typename` stays open). */
export const noAnonymousIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(
        new GraphQLError('sign in to read the schema: introspection is open to signed-in principals only', { nodes: node, extensions: { code: 'UNAUTHENTICATED' } }),
      );
    }
  },
});

/** Introspection for signed-in principals only: an anonymous caller learns nothing of the API's shape. */
export const signedInIntrospection: Plugin<GqlContext> = {
  onValidate({ context, addValidationRule }) {
    if (!context.rc.viewer) addValidationRule(noAnonymousIntrospection);
  },
};
