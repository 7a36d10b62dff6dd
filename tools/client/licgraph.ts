// A small typed client over @urql/core: every call takes a TypedDocumentNode generated from
// examples/ (tools/generated/graphql.ts), so its variables and result are checked by tsc.
import { Client, fetchExchange, type AnyVariables, type TypedDocumentNode } from "@urql/core";

export class LicgraphClient {
  private readonly client: Client;

  constructor(url: string, token: string) {
    this.client = new Client({
      url,
      exchanges: [fetchExchange],
      // POST every operation; licgraph refuses mutations over GET anyway.
      preferGetMethod: false,
      requestPolicy: "network-only",
      fetchOptions: { headers: { Authorization: `Bearer ${token}` } },
    });
  }

  /** Run a query; a GraphQL or network error rejects. */
  async query<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
  ): Promise<Data> {
    return dataOf(await this.client.query(document, variables).toPromise());
  }

  /** Run a mutation; a GraphQL or network error rejects. */
  async mutate<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
  ): Promise<Data> {
    return dataOf(await this.client.mutation(document, variables).toPromise());
  }
}

function dataOf<Data>(result: { data?: Data; error?: Error }): Data {
  if (result.error !== undefined) {
    throw result.error;
  }
  if (result.data === undefined) {
    throw new Error("the answer carried no data");
  }
  return result.data;
}
