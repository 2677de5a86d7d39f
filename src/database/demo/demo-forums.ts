import type { Language } from '../../auth/account.entity.js';
import type { DemoAccount } from '../../auth/demo-accounts.js';
import type { ForumState, ForumVisibility } from '../../forums/forum.entity.js';

/**
 * The demo forums and their threads. Authors are the auth module's demo
 * sign-in accounts (members, moderator, admin) plus a few demo participants from
 * the cities of the digitalisation webinar, who write in their own language.
 */

/** Demo participants besides the sign-in accounts. They are demo accounts (is_demo) with passwords nobody knows. */
export const DEMO_PARTICIPANTS = {
  sophie: { email: 'sophie.lambert@demo.agora.example', displayName: 'Sophie Lambert', organisation: 'Brussels Capital Region', language: 'fr' },
  diego: { email: 'diego.ferreyra@demo.agora.example', displayName: 'Diego Ferreyra', organisation: 'Municipality of Córdoba', language: 'es' },
  tendai: { email: 'tendai.moyo@demo.agora.example', displayName: 'Tendai Moyo', organisation: 'City of Harare', language: 'en' },
  claire: { email: 'claire.dubois@demo.agora.example', displayName: 'Claire Dubois', organisation: 'Métropole du Grand Paris', language: 'fr' },
  priya: { email: 'priya.raman@demo.agora.example', displayName: 'Priya Raman', organisation: 'City of Toronto', language: 'en' },
  mariem: { email: 'mariem.ahmed@demo.agora.example', displayName: 'Mariem Mint Ahmed', organisation: 'Région de Nouakchott', language: 'fr' },
  lucas: { email: 'lucas.andrade@demo.agora.example', displayName: 'Lucas Andrade', organisation: 'Belo Horizonte City Hall', language: 'en' },
  // A newcomer to the digitalisation forum: their first reply there awaits the moderator's approval.
  julien: { email: 'julien.peeters@demo.agora.example', displayName: 'Julien Peeters', organisation: 'Brussels Capital Region', language: 'fr' },
} as const satisfies Record<string, { email: string; displayName: string; organisation: string; language: Language }>;

export type DemoPerson = DemoAccount['key'] | keyof typeof DEMO_PARTICIPANTS;

/**
 * The token of a demo person's invitation link (`/invite/<token>`). Fixed and
 * public like the demo passwords: the invitation is addressed to that demo
 * account, so no other account can use it.
 */
export const demoInvitationToken = (who: DemoPerson): string => `demo-invitation-for-the-${who}`;

interface DemoFlag {
  by: DemoPerson;
  reason: 'spam' | 'off_topic' | 'abusive' | 'other';
  note?: string;
}

export interface DemoReply {
  by: DemoPerson;
  body: string;
  votes?: DemoPerson[];
  replies?: DemoReply[];
  /** Hidden by the demo moderator after it was posted, for this reason (readers see it in place of the text). */
  hiddenBecause?: string;
  /** Awaiting the moderator's approval (the forum reviews a newcomer's first reply): only its author and the moderators see it. */
  pending?: boolean;
  /** Open flags by members, fewer than the flag threshold: the reply stays visible and waits in the moderators' queue. */
  flags?: DemoFlag[];
}

interface DemoQuestion {
  title: string;
  body: string;
  pinned?: boolean;
  /** The demo moderator's synthesis at the top of the thread (markdown), written after the replies. */
  synthesis?: string;
  replies: DemoReply[];
}

export interface DemoForum {
  sessionSlug: string;
  slug: string;
  title: string;
  description: string;
  visibility: ForumVisibility;
  state: ForumState;
  /** Active members besides the moderators (the demo moderator moderates every demo forum). */
  members: DemoPerson[];
  /** People with a pending invitation addressed to their email (invite-only forums), see demoInvitationToken. */
  invited?: DemoPerson[];
  /** Set by the demo moderator when the forum opened (recorded): a newcomer's first N replies wait for approval. */
  premoderateFirstReplies?: { count: number; reason: string };
  questions: DemoQuestion[];
}

export const DIGITALISATION_FORUM_SLUG = 'learning-forum-on-digitalisation';

export const DEMO_FORUMS: readonly DemoForum[] = [
  {
    sessionSlug: 'challenges-and-opportunities-of-digitalisation-in-metropolitan-spaces',
    slug: DIGITALISATION_FORUM_SLUG,
    title: 'Learning forum on digitalisation',
    description:
      'Launched live during the webinar of 17 May and open to every signed-in member of the network: continue the debate here, answering ' +
      'all or some of the questions, in English, Spanish or French.',
    visibility: 'members',
    state: 'open',
    members: ['member', 'member2', 'sophie', 'diego', 'tendai', 'claire', 'priya', 'mariem', 'lucas', 'julien'],
    premoderateFirstReplies: { count: 1, reason: 'A newcomer\'s first reply is read by a moderator before it appears.' },
    questions: [
      {
        title: 'Which public services did your administration move online first, and why those?',
        pinned: true,
        body:
          'Several speakers said the pandemic compressed years of digital plans into a few months. Tell us which services went first in ' +
          'your city, what decided the order, and what you would do differently.',
        replies: [
          {
            by: 'priya',
            votes: ['diego', 'claire', 'moderator', 'member'],
            body:
              'In Toronto the first ones were **building permits and business licences**: they were the biggest queues at our counters, ' +
              'and both already had a back office that could take digital files.\n\nWhat we underestimated was identity checks. We ended up ' +
              'with three different sign-in systems before we consolidated them.',
            replies: [
              {
                by: 'diego',
                votes: ['priya', 'member'],
                body:
                  'En Córdoba pasó algo muy parecido con las habilitaciones comerciales. ¿Cómo resolvieron la atención a quienes no tienen ' +
                  'conexión o no se manejan con trámites en línea? Nosotros mantuvimos turnos presenciales, pero la demanda no bajó tanto como esperábamos.',
                replies: [
                  {
                    by: 'priya',
                    votes: ['diego'],
                    body:
                      'We kept the counters but changed what they do: staff now complete the online application *with* the resident ' +
                      '("assisted digital"). Same form, same data, and the person leaves knowing how to do it next time.',
                    replies: [
                      {
                        by: 'member',
                        votes: ['priya', 'diego', 'sophie'],
                        body:
                          'Nos lo apuntamos. En el área metropolitana de Barcelona hicimos algo similar en las bibliotecas, con personal ' +
                          'de apoyo los martes y jueves. Funcionó mejor cuando el horario coincidía con el mercado del barrio.',
                      },
                    ],
                  },
                ],
              },
              {
                by: 'member2',
                votes: ['priya'],
                body:
                  'À Dakar, nous avons commencé par les actes d\'état civil : la demande la plus fréquente, et un seul service à former.',
              },
              {
                by: 'claire',
                votes: ['priya'],
                body:
                  'Même constat à la Métropole du Grand Paris sur l\'identité numérique : chaque commune avait son propre portail. ' +
                  'Nous travaillons à un socle commun, mais la gouvernance prend plus de temps que la technique.',
              },
            ],
          },
          {
            by: 'tendai',
            votes: ['mariem', 'lucas', 'moderator'],
            body:
              'Harare started with **payments for rates and water bills by mobile money**. Most residents have a phone but not a bank card, ' +
              'so a web portal alone would have reached very few people. Collection went up within a quarter.',
            replies: [
              {
                by: 'mariem',
                votes: ['tendai'],
                body:
                  'À Nouakchott, nous avons fait le même choix : le téléphone d\'abord, le portail web ensuite. La difficulté reste ' +
                  'la réconciliation des paiements avec nos anciens registres fonciers.',
              },
              {
                by: 'moderator',
                body:
                  'An interesting contrast with Toronto: the order was decided by how people pay and connect, not by which back office was ' +
                  'ready. Has anyone tried to weigh both when planning the next wave of services?',
              },
            ],
          },
          {
            by: 'sophie',
            votes: ['claire', 'member'],
            body:
              'À Bruxelles, la priorité a été la prise de rendez-vous en ligne pour tous les guichets communaux. Ce n\'est pas ' +
              'spectaculaire, mais cela a désengorgé les services et donné des données fiables sur la demande réelle.',
          },
        ],
      },
      {
        title: 'How are you closing the digital divide between neighbourhoods?',
        body:
          'Access, devices, skills and trust are not spread evenly across a metropolitan area. Which measures have reached the people ' +
          'who were furthest from digital services, and how do you know?',
        synthesis:
          '**Where this thread stands**\n\n' +
          '- *Devices first*: lending laptops through libraries reached people that free wifi or training alone did not (Barcelona ' +
          'metropolitan area, Belo Horizonte).\n' +
          '- *The cost of mobile data* can matter more than coverage: free access to public service sites helped in Nouakchott and Harare, ' +
          'but the list of sites needs upkeep.\n' +
          '- *Measure use, not only the network*: Grand Paris maps well-covered areas where few people use online services, and sends ' +
          'digital advisers there first.\n\n' +
          'Still open: how do you know a measure reached the people furthest away?',
        replies: [
          {
            by: 'member',
            votes: ['lucas', 'diego', 'moderator'],
            body:
              'En el AMB combinamos tres cosas: wifi público en equipamientos de barrio, préstamo de portátiles a través de las ' +
              'bibliotecas y talleres cortos de competencias digitales. Lo que más impacto tuvo fue el préstamo: sin dispositivo, ' +
              'la formación no sirve de mucho.',
            replies: [
              {
                by: 'lucas',
                votes: ['member'],
                body:
                  'In Belo Horizonte we put free wifi in several vilas and favelas, and usage was high, but mostly on phones. ' +
                  'For school work and job applications people still needed a proper screen, so we are now looking at lending schemes like yours.',
                replies: [
                  {
                    by: 'member',
                    body:
                      '¡Con gusto compartimos el protocolo de préstamo! Lo más delicado fue el seguro de los equipos; al final lo ' +
                      'asumió la red de bibliotecas.',
                  },
                ],
              },
            ],
          },
          {
            by: 'mariem',
            votes: ['tendai', 'sophie'],
            body:
              'Chez nous, le frein principal est le coût des données mobiles plus que la couverture. Nous négocions avec les opérateurs ' +
              'un accès gratuit aux sites des services publics.',
            replies: [
              {
                by: 'tendai',
                votes: ['mariem'],
                body:
                  'Zero-rating public service sites made a real difference in Harare too. The hard part was keeping the list of ' +
                  'zero-rated addresses up to date when departments changed their websites.',
              },
            ],
          },
          {
            by: 'claire',
            body:
              'Nous avons cartographié les "zones blanches" d\'usage, pas seulement de réseau : des quartiers bien couverts où ' +
              'les démarches en ligne restent rares. C\'est là que nous envoyons en priorité les conseillers numériques.',
          },
          {
            by: 'julien',
            pending: true,
            body:
              'Bonjour à toutes et à tous. Chez nous, ce qui a le mieux fonctionné, ce sont des permanences d\'aide numérique dans les ' +
              'lieux où les habitants viennent déjà pour d\'autres démarches, plutôt que dans de nouveaux lieux dédiés.',
          },
        ],
      },
      {
        title: 'Who owns the data your city collects, and how do you protect residents\' privacy?',
        body:
          'Sensors, platforms and contractors all produce data about public space and public services. How does your administration ' +
          'decide who may hold and use it?',
        replies: [
          {
            by: 'sophie',
            votes: ['priya', 'claire', 'lucas'],
            body:
              'La Région bruxelloise a adopté une stratégie de données qui pose un principe simple : les données produites pour un ' +
              'service public restent publiques, même quand un prestataire les collecte. C\'est écrit dans les cahiers des charges.',
            replies: [
              {
                by: 'priya',
                votes: ['sophie'],
                body:
                  'That contract clause is exactly what we lacked a few years ago. Toronto now has a digital infrastructure plan with ' +
                  'principles on data residency and privacy that apply to any partner, and they are reviewed in public.',
                replies: [
                  {
                    by: 'sophie',
                    body: 'Merci, Priya. Est-ce que ces principes sont opposables aux prestataires, ou seulement indicatifs ?',
                  },
                  {
                    by: 'diego',
                    votes: ['sophie'],
                    body:
                      'Muy útil. En Córdoba estamos redactando una ordenanza de datos abiertos y la cuestión de los contratistas es ' +
                      'justamente la más discutida.',
                  },
                ],
              },
            ],
          },
          {
            by: 'lucas',
            body:
              'Brazil\'s data protection law (LGPD) gave us the legal frame, but the practical step was appointing a data protection ' +
              'officer in each secretariat. Before that nobody felt responsible.',
            replies: [
              {
                by: 'moderator',
                votes: ['lucas'],
                body:
                  'A named person in each department comes up again and again in this forum. Would anyone share how that role is ' +
                  'defined in your organisation chart?',
                replies: [
                  {
                    by: 'lucas',
                    hiddenBecause:
                      'Hidden because it quoted a resident\'s request with her name and home address. Lucas, you are welcome to ' +
                      'post the example again without them.',
                    body:
                      'Here is a real case to show what the officer handles. Last month a resident asked for every record we hold on her; ' +
                      'this is her request as she sent it:\n\n> My name is Ana Costa, I live at Rua Verde 12, apartment 3, and I want a copy ' +
                      'of all the data the city has about me.\n\nThe officer answered within the legal deadline, with help from three secretariats.',
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        title: 'How do the municipalities of one metropolitan area coordinate their digital strategies?',
        body:
          'A resident crosses several municipal borders every day, but each municipality often buys and runs its own systems. ' +
          'What coordination works in your metropolitan area?',
        replies: [
          {
            by: 'claire',
            votes: ['member', 'sophie'],
            body:
              'Avec plus de 130 communes, la Métropole du Grand Paris ne peut pas tout centraliser. Nous mutualisons ce qui est commun ' +
              '(cartographie, achat de logiciels) et laissons aux communes la relation avec les habitants.',
            replies: [
              {
                by: 'member',
                votes: ['claire'],
                body:
                  'El AMB agrupa 36 municipios y seguimos una lógica parecida: plataforma común para los servicios metropolitanos ' +
                  'y catálogo de soluciones que cada ayuntamiento puede adoptar o no.',
                replies: [
                  {
                    by: 'claire',
                    body: 'Le catalogue « à la carte » est une bonne idée. Combien de communes l\'utilisent vraiment ?',
                  },
                ],
              },
            ],
          },
          {
            by: 'diego',
            body:
              'En Córdoba la coordinación con los municipios del área metropolitana es todavía informal. Nos interesa mucho saber ' +
              'cómo financian las plataformas comunes.',
          },
          {
            by: 'diego',
            flags: [
              { by: 'claire', reason: 'spam', note: 'Cela ressemble à de la publicité pour un prestataire.' },
              { by: 'priya', reason: 'other', note: 'Not sure this belongs here: it reads like a sales pitch.' },
            ],
            body:
              'Para quien esté buscando una plataforma común: la empresa que desarrolló nuestro portal ofrece una prueba gratuita ' +
              'a otros municipios. Escríbanme y les paso el contacto de su comercial.',
          },
        ],
      },
      {
        title: 'What skills does your workforce need for the digital transition?',
        body: 'Beyond IT teams: which skills do your frontline staff and managers need, and how are you building them?',
        replies: [
          {
            by: 'tendai',
            votes: ['priya'],
            body:
              'For us the gap is less about tools and more about **process redesign**. Staff can use the new systems, but they ' +
              'reproduce the paper workflow on screen.',
            replies: [
              {
                by: 'priya',
                body:
                  'Agreed. Our most useful course was not technical at all: a two-day service design workshop run with residents in the room.',
              },
            ],
          },
          {
            by: 'member',
            body:
              'Nosotros empezamos por los mandos intermedios. Si no entienden el cambio, los equipos no lo adoptan, por mucha formación ' +
              'técnica que reciban.',
          },
        ],
      },
    ],
  },
  {
    sessionSlug: 'sustainable-urban-mobility',
    slug: 'open-forum-on-sustainable-urban-mobility',
    title: 'Open forum on sustainable urban mobility',
    description: 'Open to everyone: share the mobility measures your city has tried, and what happened next.',
    visibility: 'public',
    state: 'open',
    members: ['member', 'priya', 'diego'],
    questions: [
      {
        title: 'Which single measure changed commuting the most in your city?',
        body: 'One measure, with the evidence that it worked (or did not).',
        replies: [
          {
            by: 'diego',
            votes: ['member'],
            body:
              'Los carriles exclusivos para buses en las avenidas principales de Córdoba. Los tiempos de viaje bajaron y, sobre todo, ' +
              'se volvieron previsibles.',
            replies: [
              {
                by: 'member',
                body: 'La previsibilidad es clave. ¿Midieron también el cambio en la satisfacción de los usuarios?',
              },
            ],
          },
          {
            by: 'priya',
            votes: ['diego'],
            body: 'Protected bike lanes on a few main streets, built quickly as a pilot during 2020 and then made permanent.',
          },
        ],
      },
      {
        title: 'How do you know whether a mobility measure is working?',
        body: 'Counts, surveys, travel times, air quality: what do you measure, and how often?',
        replies: [
          {
            by: 'moderator',
            body: 'To start us off: the webinar speakers mostly cited travel time and modal share. Does anyone measure who benefits?',
          },
        ],
      },
    ],
  },
  {
    sessionSlug: 'post-pandemic-cities-challenges-and-opportunities',
    slug: 'workshop-participants-forum',
    title: "Workshop participants' forum",
    description: 'For the participants of the Post-Pandemic Cities training workshop: exercises, questions and follow-up.',
    visibility: 'invite_only',
    state: 'open',
    members: ['tendai', 'lucas'],
    invited: ['member'],
    questions: [
      {
        title: 'Exercise: which planning model fits one of your neighbourhoods?',
        body:
          'Pick a neighbourhood you know well and one of the models we discussed (15-minute city, compact city, superblocks, ' +
          'car-free city). What would change first, and who would object?',
        replies: [
          {
            by: 'lucas',
            votes: ['tendai'],
            body:
              'A superblock in Savassi, Belo Horizonte: the grid fits, and the first change would be closing two inner streets to through traffic. ' +
              'Shop owners would object before residents do.',
            replies: [
              {
                by: 'tendai',
                body: 'Same prediction for central Harare. Did anyone in the workshop have data on how shop revenue changed in Barcelona\'s superblocks?',
              },
            ],
          },
        ],
      },
    ],
  },
];
