// A real Apollo gateway in front of the hub, composed (Federation v2) with a second subgraph
// that only refers to hub workers: a placement-monitoring office whose flags point at
// `Worker @key(fields: "id")`, so the gateway must call the hub's `_entities` to fill them.
//
// Usage: node gateway.mjs <hub graphql url> <gateway port> <monitor port>
// Environment: HUB_TOKEN and HUB_PURPOSE (used to compose; requests forward the caller's own
// Authorization and X-Purpose), FLAGGED_WORKERS (comma-separated hub worker ids).
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";

const [hubUrl, gatewayPort, monitorPort] = process.argv.slice(2);
const compose = { authorization: `Bearer ${process.env.HUB_TOKEN}`, "x-purpose": process.env.HUB_PURPOSE };
const flagged = (process.env.FLAGGED_WORKERS || "").split(",").filter(Boolean);

const monitor = new ApolloServer({
  schema: buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Flag { reason: String! worker: Worker! }
      type Worker @key(fields: "id", resolvable: false) { id: ID! }
      type Query { flags: [Flag!]! }
    `),
    resolvers: {
      Query: {
        flags: () => flagged.map((id) => ({ reason: "contract ended", worker: { __typename: "Worker", id } })),
      },
    },
  }),
});
const monitorUrl = (await startStandaloneServer(monitor, { listen: { port: Number(monitorPort), host: "127.0.0.1" } })).url;

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: "pmihub", url: hubUrl },
      { name: "monitor", url: monitorUrl },
    ],
    introspectionHeaders: compose,
  }),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource({
      url,
      willSendRequest({ request, context }) {
        if (context.authorization) request.http.headers.set("authorization", context.authorization);
        if (context.purpose) request.http.headers.set("x-purpose", context.purpose);
      },
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(gatewayPort), host: "127.0.0.1" },
  context: async ({ req }) => ({ authorization: req.headers.authorization, purpose: req.headers["x-purpose"] }),
});
console.log(`ready ${url}`);
