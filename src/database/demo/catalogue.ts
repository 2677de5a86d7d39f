import type { Language } from '../../auth/account.entity.js';
import type { DocumentKind } from '../../sessions/session-document.entity.js';
import type { SessionKind, SessionState } from '../../sessions/session.entity.js';

/**
 * The network's session catalogue, from ../shared/seed/000_44f4cfd7f46d3fd4.txt:
 * every session in it, with its organiser, partners and cities as the text
 * gives them. Summaries are written for Agora; topics, languages and dates
 * are inferred (dates are plausible, 2020-2022; the text gives only the
 * digitalisation webinar's day, 17 May, and the two days of "Mapping a Green
 * Future", 20 and 21 May). Kind: "webinar", "training workshop" and "series
 * of webinars" as the text says; a "session" run by a learning hub or a
 * training centre to teach methods is a training workshop, a panel of city
 * representatives is a webinar. Document links are examples under
 * www.metropolis.org, where the text mentions a programme or a concept note.
 */
export interface DemoSession {
  slug: string;
  kind: SessionKind;
  title: string;
  summary: string;
  organiser: string;
  partners: string[];
  cities: string[];
  topics: string[];
  languages: Language[];
  state: SessionState;
  /** [startsAt, endsAt], ISO 8601 UTC. */
  dates: [string, string][];
  documents: { kind: DocumentKind; language: Language; title: string; url: string }[];
}

const DOCS = 'https://www.metropolis.org/sites/default/files/resources';

export const DEMO_CATALOGUE: readonly DemoSession[] = [
  {
    slug: 'creating-a-net-zero-community',
    kind: 'training_workshop',
    title: 'Creating a Net Zero Community',
    summary:
      'What can public policy do so that a green transition takes root at neighbourhood level? Practitioners from C40, Chengdu and Madrid ' +
      'set out how to design policies that make the transition attractive, and gave practical guidance that grassroots communities can follow ' +
      'to plan their own way to net zero.',
    organiser: 'Metropolis Learning Hub Chengdu',
    partners: ['C40 Cities', "Chengdu Municipal Commission for Urban and Rural Community Development and Management"],
    cities: ['Chengdu', 'Madrid'],
    topics: ['climate action', 'net zero', 'community development'],
    languages: ['en'],
    state: 'ended',
    dates: [['2021-11-04T08:00:00Z', '2021-11-04T10:30:00Z']],
    documents: [{ kind: 'programme', language: 'en', title: 'Programme', url: `${DOCS}/net-zero-community-programme.pdf` }],
  },
  {
    slug: 'challenges-and-opportunities-of-digitalisation-in-metropolitan-spaces',
    kind: 'webinar',
    title: 'Challenges and opportunities of digitalisation in metropolitan spaces',
    summary:
      'Held on World Telecommunication and Information Society Day, this webinar brought together officers from eight metropolitan ' +
      'governments on four continents to compare how their administrations are adapting to a digital reality: what has worked, what has not, ' +
      'and what is still open. The Metropolis learning forum on digitalisation was opened live during the session, so that the members ' +
      'invited to it could carry on the debate afterwards.',
    organiser: 'Metropolis',
    partners: [],
    cities: ['Brussels', 'Grand Paris', 'Barcelona Metropolitan Area', 'Córdoba', 'Toronto', 'Harare', 'Nouakchott', 'Belo Horizonte'],
    topics: ['digitalisation', 'digital divide', 'data governance', 'metropolitan governance'],
    languages: ['en', 'es', 'fr'],
    state: 'ended',
    dates: [['2021-05-17T13:00:00Z', '2021-05-17T15:00:00Z']],
    documents: [
      { kind: 'concept_note', language: 'en', title: 'Concept note', url: `${DOCS}/digitalisation-concept-note-en.pdf` },
      { kind: 'concept_note', language: 'es', title: 'Nota conceptual', url: `${DOCS}/digitalisation-concept-note-es.pdf` },
      { kind: 'concept_note', language: 'fr', title: 'Note conceptuelle', url: `${DOCS}/digitalisation-concept-note-fr.pdf` },
      { kind: 'programme', language: 'en', title: 'Programme', url: `${DOCS}/digitalisation-programme.pdf` },
    ],
  },
  {
    slug: 'post-pandemic-cities-challenges-and-opportunities',
    kind: 'training_workshop',
    title: 'Post-Pandemic Cities: Challenges and Opportunities',
    summary:
      'A training workshop on how planning and managing cities is changing after COVID-19. Participants worked through models such as the ' +
      '15-minute city, the compact city, superblocks, the car-free city and new urbanism, and discussed why the crisis made some of these ' +
      'ideas feasible when they had long seemed out of reach.',
    organiser: 'Metropolis International Training Institute Cairo',
    partners: [],
    cities: [],
    topics: ['post-pandemic recovery', 'urban planning', '15-minute city'],
    languages: ['en'],
    state: 'ended',
    dates: [
      ['2021-10-12T09:00:00Z', '2021-10-12T12:00:00Z'],
      ['2021-10-13T09:00:00Z', '2021-10-13T12:00:00Z'],
      ['2021-10-14T09:00:00Z', '2021-10-14T12:00:00Z'],
    ],
    documents: [],
  },
  {
    slug: 'seeking-better-quality-of-community-life-a-park-city-approach',
    kind: 'training_workshop',
    title: 'Seeking Better Quality of Community Life: a Park City Approach',
    summary:
      'An introduction to planning, delivering and managing urban community projects, built around three regeneration cases from Chengdu ' +
      'in the centre, the inner suburbs and the outskirts: the East Yulin Road micro-regeneration, sports venues under flyovers and the ' +
      'Jincheng community. Each showed how residents were involved before, during and after design. Speakers from Ramallah and Amman ' +
      'reminded participants that what works depends on context.',
    organiser: 'Metropolis Learning Hub Chengdu',
    partners: [],
    cities: ['Chengdu', 'Ramallah', 'Amman'],
    topics: ['park city', 'community regeneration', 'citizen participation'],
    languages: ['en'],
    state: 'ended',
    dates: [['2021-09-23T08:00:00Z', '2021-09-23T10:30:00Z']],
    documents: [{ kind: 'concept_note', language: 'en', title: 'Concept note', url: `${DOCS}/park-city-community-life-concept-note.pdf` }],
  },
  {
    slug: 'urban-forests-as-nature-based-solutions-state-of-the-art',
    kind: 'webinar',
    title: 'Urban forests as nature-based solutions: State of the art',
    summary:
      'The first public event of CLEARING HOUSE, an EU-funded Horizon 2020 project on urban forests as nature-based solutions for ' +
      'restoring and reconnecting urban ecosystems. Researchers shared what the project had found so far: the EU research agenda on ' +
      'nature-based solutions, current practice and literature in Europe and China, the governance and economic frameworks in both, ' +
      'and how people there see their forests.',
    organiser: 'CLEARING HOUSE (EU Horizon 2020 project)',
    partners: ['European Union', 'Metropolis'],
    cities: [],
    topics: ['nature-based solutions', 'urban forests', 'green infrastructure'],
    languages: ['en'],
    state: 'ended',
    dates: [['2020-11-26T10:00:00Z', '2020-11-26T12:00:00Z']],
    documents: [],
  },
  {
    slug: 'mapping-a-green-future-urban-planning-under-the-park-city-initiative',
    kind: 'webinar',
    title: 'Mapping a Green Future: Urban Planning under the Park City Initiative',
    summary:
      'The first edition of a two-part webinar on planning cities around green space under the Park City initiative, with experiences from ' +
      'Glasgow, Chengdu, Seoul, Johannesburg and Dujiangyan.',
    organiser: 'Metropolis Learning Hub',
    partners: ['Chengdu Institute of Planning and Design'],
    cities: ['Glasgow', 'Chengdu', 'Seoul', 'Johannesburg', 'Dujiangyan'],
    topics: ['park city', 'urban planning', 'green infrastructure'],
    languages: ['en'],
    state: 'ended',
    dates: [
      ['2021-05-20T08:00:00Z', '2021-05-20T10:00:00Z'],
      ['2021-05-21T08:00:00Z', '2021-05-21T10:00:00Z'],
    ],
    documents: [],
  },
  {
    slug: 'a-multidimensional-approach-to-urban-inequalities-thoughts-and-aspirations',
    kind: 'webinar',
    title: 'A multidimensional approach to urban inequalities: thoughts and aspirations',
    summary:
      'The results of "Neighbourhoods, inequality and youth", a project of Oxfam, the European Union, Barcelona City Council, Metropolis and ' +
      'CIDOB to put multidimensional inequalities on the local political agenda in countries in transition. It looked for municipal ' +
      'policies that tackle inequality from several angles at once, across disciplines and with an intersectional lens.',
    organiser: 'Metropolis',
    partners: ['Oxfam (Brazil, Mexico, Spain)', 'European Union', 'Barcelona City Council', 'CIDOB (Barcelona Centre for International Affairs)'],
    cities: ['Barcelona'],
    topics: ['urban inequalities', 'youth', 'public policy'],
    languages: ['en', 'es'],
    state: 'ended',
    dates: [['2021-03-25T15:00:00Z', '2021-03-25T16:30:00Z']],
    documents: [],
  },
  {
    slug: 'visions-and-challenges-in-urban-regeneration',
    kind: 'webinar',
    title: 'Visions and Challenges in Urban regeneration',
    summary:
      'Co-organised with Tehran Municipality, this thematic webinar asked how cities can regenerate their historic fabric without losing ' +
      'their identity in a globalised world, drawing on experiences from Delhi and Cairo.',
    organiser: 'Metropolis',
    partners: ['Tehran Municipality'],
    cities: ['Tehran', 'Delhi', 'Cairo'],
    topics: ['urban regeneration', 'urban heritage'],
    languages: ['en'],
    state: 'ended',
    dates: [['2020-12-09T10:00:00Z', '2020-12-09T12:00:00Z']],
    documents: [],
  },
  {
    slug: 'geospatial-visualization-for-urban-revitalization',
    kind: 'webinar',
    title: 'Geospatial Visualization for Urban Revitalization',
    summary:
      'Why location data matters when revitalising a city: a primer on geospatial tools, a look back at recent redevelopment projects in ' +
      'the state of Victoria, Australia, and a walk through the digital twin of Fishermans Bend in Melbourne.',
    organiser: 'Metropolis International Training Institute Mashhad',
    partners: [],
    cities: ['Melbourne'],
    topics: ['geospatial data', 'digital twins', 'urban regeneration'],
    languages: ['en'],
    state: 'ended',
    dates: [['2021-02-17T07:00:00Z', '2021-02-17T09:00:00Z']],
    documents: [],
  },
  {
    slug: 'learning-from-tactical-urbanism-metropolitan-perspectives-for-long-term-solutions',
    kind: 'webinar',
    title: 'Learning from tactical urbanism: Metropolitan perspectives for long-term solutions',
    summary:
      'Quick, low-cost changes to streets and squares were everywhere during the pandemic. Representatives from Barcelona, Bogotá, Brussels, ' +
      'San Salvador, Montreal and Turin discussed which of them deserve to become permanent, and what their social and economic lessons are ' +
      'for metropolitan governments.',
    organiser: 'Metropolis',
    partners: [],
    cities: ['Barcelona Metropolitan Area', 'Bogotá', 'Brussels', 'San Salvador Metropolitan Area', 'Montreal', 'Turin Metropolitan Area'],
    topics: ['tactical urbanism', 'public space', 'post-pandemic recovery'],
    languages: ['en', 'es', 'fr'],
    state: 'ended',
    dates: [['2020-11-18T15:00:00Z', '2020-11-18T17:00:00Z']],
    documents: [],
  },
  {
    slug: 'sustainable-urban-regeneration',
    kind: 'webinar',
    title: 'Sustainable Urban Regeneration',
    summary:
      'Dakar, Dresden, Nanjing, Shiraz, Delhi and Cairo presented regeneration projects meant to make neighbourhoods more inclusive and ' +
      'resource-efficient, provide safe and affordable housing, ease environmental pressure and advance the targets of Sustainable ' +
      'Development Goal 11.',
    organiser: 'Metropolis',
    partners: [],
    cities: ['Dakar', 'Dresden', 'Nanjing', 'Shiraz', 'Delhi', 'Cairo'],
    topics: ['urban regeneration', 'housing', 'SDG 11'],
    languages: ['en'],
    state: 'ended',
    dates: [['2021-07-08T10:00:00Z', '2021-07-08T12:00:00Z']],
    documents: [],
  },
  {
    slug: 'ibero-american-experiences-of-tactical-urban-planning-against-the-covid-19',
    kind: 'webinar',
    title: 'Ibero-American experiences of tactical urban planning against the COVID-19',
    summary:
      'UNDP and Metropolis collected municipal experiences in which tactical urbanism was used to slow the spread of COVID-19, with ' +
      'speakers from Guatemala, Barcelona, Medellín and Mexico City. The cases were documented for Cities for Global Health, the platform ' +
      'promoted by Metropolis, UCLG, AL-LAs and Barcelona City Council.',
    organiser: 'United Nations Development Programme (UNDP)',
    partners: ['Metropolis', 'UCLG', 'AL-LAs', 'Barcelona City Council'],
    cities: ['Guatemala City', 'Barcelona Metropolitan Area', 'Medellín', 'Mexico City'],
    topics: ['tactical urbanism', 'COVID-19', 'public health'],
    languages: ['es', 'en'],
    state: 'ended',
    dates: [['2020-07-09T16:00:00Z', '2020-07-09T18:00:00Z']],
    documents: [],
  },
  {
    slug: 'culture-as-a-dimension-to-rethink-metropolitan-spaces',
    kind: 'webinar',
    title: 'Culture as a Dimension to Rethink Metropolitan Spaces',
    summary:
      'Rome, Barcelona, Xi\'an and Buenos Aires made the case for bringing culture into the design of metropolitan government: taking part ' +
      'in cultural life is a right, and sharing it more fairly is one way of sharing the right to the city.',
    organiser: 'Metropolis',
    partners: [],
    cities: ['Rome', 'Barcelona', "Xi'an", 'Buenos Aires'],
    topics: ['culture', 'right to the city', 'metropolitan governance'],
    languages: ['en', 'es'],
    state: 'ended',
    dates: [['2020-10-21T14:00:00Z', '2020-10-21T16:00:00Z']],
    documents: [],
  },
  {
    slug: 'intersectional-responses-for-the-lgbti-community-facing-covid-19',
    kind: 'webinar',
    title: 'Intersectional responses for the LGBTI+ community facing COVID-19',
    summary:
      'What intersectionality means for local policy, and how Barcelona, Rosario, Buenos Aires, Mexico City, Bogotá, Medellín and ' +
      'Montevideo applied it in their response to the social crisis the pandemic caused for LGBTI+ people.',
    organiser: 'Metropolis',
    partners: [],
    cities: ['Barcelona', 'Rosario', 'Buenos Aires', 'Mexico City', 'Bogotá', 'Medellín', 'Montevideo'],
    topics: ['intersectionality', 'LGBTI+', 'COVID-19', 'gender equality'],
    languages: ['es', 'en'],
    state: 'ended',
    dates: [['2020-06-26T15:00:00Z', '2020-06-26T17:00:00Z']],
    documents: [],
  },
  {
    slug: 'commuting-across-metropolises',
    kind: 'webinar',
    title: 'Commuting across metropolises',
    summary:
      'Held for World Bicycle Day, this webinar with experts from Madrid, Seoul and UITP looked at commuting: one of the most visible, and ' +
      'most sensitive, places where metropolitan governance meets people\'s daily lives.',
    organiser: 'Metropolis',
    partners: ['UITP (International Association of Public Transport)'],
    cities: ['Madrid', 'Seoul'],
    topics: ['mobility', 'cycling', 'metropolitan governance'],
    languages: ['en'],
    state: 'ended',
    dates: [['2020-06-03T10:00:00Z', '2020-06-03T11:30:00Z']],
    documents: [],
  },
  {
    slug: 'fighting-urban-inequalities',
    kind: 'series',
    title: 'Fighting urban inequalities',
    summary:
      'A series for local authorities on how inequality shapes everyday life in cities: where it comes from, what it does, and which ' +
      'public policies can reduce it, from the municipality and together with other levels of government.',
    organiser: 'Metropolis',
    partners: [],
    cities: [],
    topics: ['urban inequalities', 'public policy'],
    languages: ['en', 'es', 'fr'],
    state: 'ended',
    dates: [
      ['2020-04-22T14:00:00Z', '2020-04-22T15:30:00Z'],
      ['2020-05-13T14:00:00Z', '2020-05-13T15:30:00Z'],
      ['2020-06-10T14:00:00Z', '2020-06-10T15:30:00Z'],
    ],
    documents: [],
  },
  {
    slug: 'sustainable-water-management-key-for-citizens-wellbeing',
    kind: 'training_workshop',
    title: 'Sustainable water management: key for citizen\u2019s wellbeing',
    summary:
      'Seoul Human Resource Development Center presented Arisu, Seoul\'s tap water system and the first in the world to be certified by ' +
      'NSF International, together with the city\'s wider water resource policies. Shanghai, Jakarta and Bangkok shared how they manage ' +
      'water sustainably.',
    organiser: 'Seoul Human Resource Development Center',
    partners: [],
    cities: ['Seoul', 'Shanghai', 'Jakarta', 'Bangkok'],
    topics: ['water management', 'public services', 'sustainability'],
    languages: ['en'],
    state: 'ended',
    dates: [['2021-06-22T06:00:00Z', '2021-06-22T08:30:00Z']],
    documents: [],
  },
  {
    slug: 'sustainable-urban-mobility',
    kind: 'webinar',
    title: 'Sustainable urban mobility',
    summary:
      'Case studies from several continents, read side by side to see where urban mobility stands today and which measures other cities ' +
      'could take up.',
    organiser: 'Metropolis',
    partners: [],
    cities: [],
    topics: ['mobility', 'sustainability'],
    languages: ['en'],
    state: 'ended',
    dates: [['2022-03-16T14:00:00Z', '2022-03-16T15:30:00Z']],
    documents: [{ kind: 'programme', language: 'en', title: 'Programme', url: `${DOCS}/sustainable-urban-mobility-programme.pdf` }],
  },
];
