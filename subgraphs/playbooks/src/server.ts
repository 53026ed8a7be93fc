import { print } from "graphql";
import { createServiceSubgraph, type ServiceDeps, type SubgraphServer } from "@intelgraph/kit";
import { createPlaybookService } from "./playbookService.ts";
import { resolvers, type PlaybooksContext } from "./resolvers.ts";
import { typeDefs } from "./typeDefs.ts";

export const name = "playbooks";

export async function sdl(): Promise<string> {
  return print(typeDefs);
}

export async function createServer(deps: ServiceDeps): Promise<SubgraphServer> {
  const playbooks = createPlaybookService({ db: deps.db, now: deps.now });
  await playbooks.ensureIndexes();
  return createServiceSubgraph<PlaybooksContext>({
    name,
    typeDefs,
    resolvers,
    deps,
    extendContext: (base) => ({ ...base, playbooks }),
  });
}
